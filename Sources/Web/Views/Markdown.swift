import CCmark
import Foundation

/// User text to HTML through cmark in safe mode: raw HTML is omitted and `javascript:`, `vbscript:`,
/// `file:` and non-image `data:` links are emptied, so the output can go into a page unescaped.
public enum Markdown {
    /// Longer input is cut: nothing users write is this long, and cmark's time grows with it.
    static let maximumLength = 100_000

    public static func html(from markdown: String) -> String {
        var text = markdown
        if text.utf8.count > maximumLength {
            text = String(decoding: Array(text.utf8.prefix(maximumLength)), as: UTF8.self)
        }
        // Never CMARK_OPT_UNSAFE: safe mode is what keeps <script> and javascript: links out.
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART
        return text.withCString { pointer -> String in
            guard let rendered = cmark_markdown_to_html(pointer, strlen(pointer), options) else { return "" }
            defer { free(rendered) }
            return String(cString: rendered)
        }
    }
}
