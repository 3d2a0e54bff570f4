from voliere.media.models.attachment import MediaAttachment, MediaKind

__all__ = ["MediaAttachment", "MediaKind"]
