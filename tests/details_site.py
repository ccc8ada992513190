"""The fixture site with what readers meet in articles: footnotes and captioned images."""

import shutil
from pathlib import Path

from PIL import Image

from conftest import FIXTURE_CONTENT, build_site

# Stored 40 wide and 20 high, with "rotate 90° clockwise to display": upright, 20 by 40.
STORED_SIZE, UPRIGHT_SIZE = (40, 20), (20, 40)
CAPTION = {"en": "The test card, upright", "ko": "바로 세운 시험 카드"}
ARTICLE = {"en": "en/articles/details/", "ko": "ko/articles/details-ko/"}
HEADERS = {
    "en": "Title: Footnotes and figures\nDate: 2024-03-06\nCategory: Families\nTags: testimony\n"
    "Summary: An article with a footnote and a captioned image.\n",
    "ko": "Title: 각주와 그림\nDate: 2024-03-06\nCategory: 가족\nTags: 증언\n"
    "Summary: 각주와 설명이 달린 그림이 있는 글입니다.\n",
}
BODY = {
    "en": "A sentence with a note.[^1]",
    "ko": "각주가 달린 문장입니다.[^1]",
}
NOTE = {"en": "The note itself.", "ko": "각주의 내용입니다."}


def sideways_photo(path: Path) -> None:
    """A JPEG stored sideways with an EXIF Orientation tag, as phones write them."""
    image = Image.new("RGB", STORED_SIZE, (30, 30, 220))
    exif = Image.Exif()
    exif[0x0112] = 6
    image.save(path, "JPEG", exif=exif)


def details_content(folder: Path) -> Path:
    """A copy of the fixture content with one such article in each language."""
    content = folder / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "images").mkdir()
    sideways_photo(content / "images" / "card.jpg")
    for lang in ("en", "ko"):
        name = "details.md" if lang == "en" else "details-ko.md"
        (content / lang / "articles" / name).write_text(
            f"{HEADERS[lang]}Author: FFHR Editorial Desk\n\n{BODY[lang]}\n\n"
            f'![A blue test card]({{static}}/images/card.jpg "{CAPTION[lang]}")\n\n'
            f"[^1]: {NOTE[lang]}\n",
            encoding="utf-8",
        )
    return content


def build_details_site(folder: Path) -> Path:
    """Build details_content(folder) into folder/output."""
    return build_site(folder / "output", details_content(folder))
