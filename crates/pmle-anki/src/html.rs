//! Just enough Markdown → HTML for card fields: escaping, line breaks, `code` and **bold**.

/// Escape HTML and turn the few Markdown marks cards use into tags.
pub fn markdown_to_html(md: &str) -> String {
    let escaped = md
        .trim()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let mut out = String::new();
    let mut in_code = false;
    for (i, part) in escaped.split('`').enumerate() {
        if i > 0 {
            out.push_str(if in_code { "</code>" } else { "<code>" });
            in_code = !in_code;
        }
        out.push_str(part);
    }
    if in_code {
        out.push_str("</code>");
    }
    let mut bold = String::new();
    for (i, part) in out.split("**").enumerate() {
        if i > 0 {
            bold.push_str(if i % 2 == 1 { "<b>" } else { "</b>" });
        }
        bold.push_str(part);
    }
    if out.matches("**").count() % 2 == 1 {
        bold.push_str("</b>");
    }
    bold.replace("\r\n", "\n")
        .replace('\n', "<br>")
        .replace('\t', " ")
}

/// Text without tags, for Anki's sort field and checksum.
pub(crate) fn strip_html(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_marks() {
        assert_eq!(
            markdown_to_html("a <b> & `x<y`\n**bold**"),
            "a &lt;b&gt; &amp; <code>x&lt;y</code><br><b>bold</b>"
        );
        assert_eq!(strip_html("<b>a</b> &amp; b"), "a & b");
    }
}
