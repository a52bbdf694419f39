//! The media type a body or answer is mapped as: JSON when offered, else a form, multipart,
//! text, or bytes (`binary`), as `lower/bodies.rs` reads them.

/// How the spec carries a media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Media {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
}

pub(super) fn media(media: &str) -> Media {
    let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/json" | "text/json" => Media::Json,
        json if json.ends_with("+json") => Media::Json,
        "application/x-www-form-urlencoded" => Media::Form,
        "multipart/form-data" => Media::Multipart,
        text if text.starts_with("text/") => Media::Text,
        _ => Media::Binary,
    }
}

/// The media type to map among those a body or answer offers: the first of the most
/// structured kind (JSON, then forms, multipart, text, bytes), so an operation that offers JSON
/// keeps it.
pub(super) fn preferred<'a>(offered: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(Media, &str)> = None;
    for candidate in offered {
        let kind = media(candidate);
        if best.is_none_or(|(known, _)| kind < known) {
            best = Some((kind, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// The type expression of a body that is text or bytes, whatever its schema says.
pub(super) fn raw_type(kind: Media) -> Option<&'static str> {
    match kind {
        Media::Text => Some("string"),
        Media::Binary => Some("binary"),
        Media::Json | Media::Form | Media::Multipart => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_wins_then_forms_then_text_then_bytes() {
        assert_eq!(preferred(["text/plain", "application/json"]), Some("application/json"));
        assert_eq!(preferred(["application/octet-stream", "multipart/form-data"]), Some("multipart/form-data"));
        assert_eq!(preferred(["*/*"]), Some("*/*"));
        assert_eq!(preferred(["image/png", "text/html"]), Some("text/html"));
        assert_eq!(media("application/vnd.github.v3+json"), Media::Json);
        assert_eq!(media("application/octocat-stream"), Media::Binary);
        assert_eq!(preferred([]), None);
    }
}
