"""Small, valid media files made in the test itself: PDFs written by hand, WAVs by ``wave``."""

import io
import struct
import wave

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17


def pdf_bytes(pages: int = 2, *, width: int = 595, height: int = 842, pad: int = 0) -> bytes:
    """A minimal PDF with ``pages`` empty pages, a correct xref table and optional padding."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        *(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] >>".encode()
            for _ in range(pages)
        ),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    if pad:
        out.write(b"%" + b"x" * pad + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode())
    out.write(f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def wav_bytes(
    seconds: float = 1.0, *, rate: int = 8000, channels: int = 1, width: int = 2
) -> bytes:
    """A PCM WAV of silence-ish samples lasting ``seconds``."""
    out = io.BytesIO()
    frames = int(seconds * rate)
    with wave.open(out, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        sample = struct.pack("<h", 1000) if width == 2 else b"\x80"
        writer.writeframes(sample * channels * frames)
    return out.getvalue()


def wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data), "rb") as reader:
        return reader.getnframes() / reader.getframerate()
