"""Images and documents published without what they say about the people who made them."""

from .media_privacy import (
    DOCUMENT_EXTENSIONS,
    IMAGE_EXTENSIONS,
    image_metadata,
    publish_images,
    scrub_image,
)

__all__ = [
    "DOCUMENT_EXTENSIONS", "IMAGE_EXTENSIONS", "image_metadata", "publish_images", "scrub_image",
]  # fmt: skip
