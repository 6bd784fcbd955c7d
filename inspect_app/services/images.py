"""Checking a photo anyone sends (an audit's, a facility's evidence): a real image within the size limit, decoded
by Pillow (decompression bombs refused), written again without its metadata (EXIF with the camera's GPS position,
XMP, comments) and turned upright as its EXIF orientation said."""

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from inspect_app.services.errors import InvalidInput

PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
ORIENTATION = 0x0112  # the EXIF tag a camera sets instead of turning the pixels


def checked_image(raw: bytes, limit: int, field: str = "file") -> tuple[bytes, str, int, int]:
    """The checks every photo passes (a real image within `limit` bytes), then its pixels without metadata:
    (bytes, content type, width, height); InvalidInput on `field` otherwise."""
    if len(raw) > limit:
        raise InvalidInput(f"The photo is larger than the limit of {limit // (1024 * 1024)} MB.", field)
    if not raw:
        raise InvalidInput("The file is empty.", field)
    try:
        fmt, _width, _height = inspect_image(raw)
    except InvalidInput as error:
        raise InvalidInput(error.message, field) from error
    data, width, height = without_metadata(raw, fmt)
    return data, PHOTO_FORMATS[fmt], width, height


def inspect_image(raw: bytes) -> tuple[str, int, int]:
    """(format, width, height) of a real image; InvalidInput for anything else."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as img:
                img.verify()
            # verify() leaves the image unusable; a second open reads the size and decodes the pixels.
            with Image.open(io.BytesIO(raw)) as img:
                fmt, size = img.format, img.size
                img.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise InvalidInput("The file is not a readable image.", "file") from exc
    if fmt not in PHOTO_FORMATS:
        raise InvalidInput(f"Photos must be JPEG, PNG, WebP or GIF, not {fmt}.", "file")
    return fmt, size[0], size[1]


def without_metadata(raw: bytes, fmt: str) -> tuple[bytes, int, int]:
    """The image written again with its pixels only (upright, ICC colour profile kept); (bytes, width, height).

    A JPEG that needs no turning keeps its quantisation tables (`quality="keep"`), so it loses next to nothing;
    PNG and GIF are lossless; WebP and a turned JPEG are encoded at quality 90.
    """
    out = io.BytesIO()
    with Image.open(io.BytesIO(raw)) as img:
        icc = {"icc_profile": img.info["icc_profile"]} if img.info.get("icc_profile") else {}
        orientation = img.getexif().get(ORIENTATION, 1)
        if fmt == "GIF":
            # Every frame, without the comment the encoder would otherwise copy from the source.
            img.save(out, "GIF", save_all=True, comment=b"")
        elif fmt == "JPEG" and orientation == 1:
            img.save(out, "JPEG", quality="keep", exif=b"", comment=b"", xmp=b"", **icc)
        else:
            upright = ImageOps.exif_transpose(img)
            lossy = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
            if fmt == "JPEG":
                lossy["comment"] = b""
            upright.save(out, fmt, exif=b"", xmp=b"", **lossy, **icc)
        size = img.size if fmt == "GIF" or orientation == 1 else upright.size
    return out.getvalue(), size[0], size[1]


def thumbnail(raw: bytes, px: int = 192) -> bytes:
    """A small JPEG of a stored (already checked) photo, at most `px` on its longer side, for a list of photos
    on a phone."""
    out = io.BytesIO()
    with Image.open(io.BytesIO(raw)) as img:
        img.thumbnail((px, px))
        img.convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()
