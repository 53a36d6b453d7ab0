import Testing
@testable import Web

@Suite("Markdown is rendered inert")
struct MarkdownTests {
    @Test func rendersMarkdown() {
        let html = Markdown.html(from: "# Title\n\nSome *emphasis* and `code`.\n\n- a\n- b")
        #expect(html.contains("<h1>Title</h1>"))
        #expect(html.contains("<em>emphasis</em>"))
        #expect(html.contains("<code>code</code>"))
        #expect(html.contains("<li>a</li>"))
    }

    @Test("raw HTML never passes through", arguments: [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "hello <iframe src=\"https://evil.example\"></iframe>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<svg onload=alert(1)>",
    ])
    func rawHTMLIsOmitted(payload: String) {
        let html = Markdown.html(from: payload)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<iframe"))
        #expect(!html.contains("<svg"))
        #expect(!html.contains("onerror="))
        #expect(!html.contains("href=\"javascript:"))
    }

    @Test("dangerous link schemes are dropped", arguments: [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](vbscript:msgbox)",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](javascript:alert(1))",
        "<javascript:alert(1)>",
    ])
    func dangerousLinks(payload: String) {
        let html = Markdown.html(from: payload).lowercased()
        // The text may still read "javascript:…"; what matters is that no link or image points there.
        for attribute in ["href=\"", "src=\""] {
            #expect(!html.contains(attribute + "javascript:"))
            #expect(!html.contains(attribute + "vbscript:"))
            #expect(!html.contains(attribute + "data:text/html"))
        }
        #expect(html.contains("href=\"\"") || html.contains("src=\"\"") || !html.contains("<a"))
    }

    @Test func entitiesStayEscaped() {
        let html = Markdown.html(from: "&lt;script&gt; and 5 < 6 & \"quotes\"")
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("&amp;"))
    }

    @Test func veryLongInputIsBounded() {
        let long = String(repeating: "[a](javascript:x) <b>", count: 50_000)
        let html = Markdown.html(from: long)
        #expect(!html.contains("javascript:"))
        #expect(!html.contains("<b>"))
        #expect(html.utf8.count < 1_000_000)
    }

    @Test func safeLinksSurvive() {
        let html = Markdown.html(from: "[docs](https://example.org/a?b=1)")
        #expect(html.contains("href=\"https://example.org/a?b=1\""))
    }
}
