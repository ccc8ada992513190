"""What each language's Pelican run does: the receivers plugins/ connects to its signals."""
