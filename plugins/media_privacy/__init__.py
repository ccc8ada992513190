"""Images and documents published without what they say about the people who made them."""

from .media_privacy import (
    IMAGE_EXTENSIONS,
    document_names,
    image_metadata,
    publish_images,
    scrub_image,
)

__all__ = ["IMAGE_EXTENSIONS", "document_names", "image_metadata", "publish_images", "scrub_image"]
