/// A pull reader over the bytes of one JSON line: the caller asks for the value it expects, member by member,
/// and gets Swift values without an intermediate tree of `Any` or `Decodable` containers. Reading an oasst
/// line this way costs a fraction of `JSONDecoder`, which an import of a whole dataset notices.
struct JSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    enum Kind { case object, array, string, number, bool, null }

    /// The kind of the value that comes next.
    mutating func peek() throws -> Kind {
        switch try nextByte() {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case let byte: throw syntax("unexpected character '\(Unicode.Scalar(byte))'")
        }
    }

    /// Reads an object, handing each member's key to `member`, which must read or skip the value.
    mutating func object(_ member: (String, inout JSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if try nextByte() == UInt8(ascii: "}") { position += 1; return }
        while true {
            guard try nextByte() == UInt8(ascii: "\"") else { throw syntax("expected a member name") }
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try member(key, &self)
            switch try nextByte() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return
            default: throw syntax("expected ',' or '}'")
            }
        }
    }

    /// Reads an array, calling `element` once per element, which must read or skip it.
    mutating func array(_ element: (inout JSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if try nextByte() == UInt8(ascii: "]") { position += 1; return }
        while true {
            try element(&self)
            switch try nextByte() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return
            default: throw syntax("expected ',' or ']'")
            }
        }
    }

    /// True (and consumed) when the next value is `null`.
    mutating func null() throws -> Bool {
        guard try nextByte() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    mutating func bool() throws -> Bool {
        switch try nextByte() {
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        default: throw JSONReaderMismatch()
        }
    }

    mutating func string() throws -> String {
        guard try nextByte() == UInt8(ascii: "\"") else { throw JSONReaderMismatch() }
        position += 1
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                guard let string = String(validating: text, as: UTF8.self) else { throw syntax("a string is not valid UTF-8") }
                return string
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if byte < 0x20 { throw syntax("a control character inside a string") }
            position += 1
        }
        throw syntax("a string is not closed")
    }

    /// An integer; a number with a fraction or exponent is accepted when its value is whole (`3.0`).
    mutating func int() throws -> Int {
        guard try peek() == .number else { throw JSONReaderMismatch() }
        let start = position
        var negative = false
        if bytes[position] == UInt8(ascii: "-") { negative = true; position += 1 }
        var value = 0
        var digits = 0
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(bytes[position] - UInt8(ascii: "0")))
            if overflow1 || overflow2 { throw JSONReaderMismatch() }
            value = sum
            digits += 1
            position += 1
        }
        if digits == 0 { throw syntax("a number without digits") }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") || bytes[position] | 0x20 == UInt8(ascii: "e") {
            position = start
            let number = try double()
            guard number.rounded() == number, let whole = Int(exactly: number) else { throw JSONReaderMismatch() }
            return whole
        }
        return negative ? -value : value
    }

    mutating func double() throws -> Double {
        guard try peek() == .number else { throw JSONReaderMismatch() }
        let start = position
        while position < bytes.count, Self.isNumberByte(bytes[position]) { position += 1 }
        guard let number = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)) else {
            throw syntax("a malformed number")
        }
        return number
    }

    /// Reads past the next value, whatever it is.
    mutating func skip() throws {
        switch try peek() {
        case .object: try object { _, reader in try reader.skip() }
        case .array: try array { reader in try reader.skip() }
        case .string: _ = try string()
        case .number: _ = try double()
        case .bool: _ = try bool()
        case .null: _ = try null()
        }
    }

    /// Fails unless only whitespace is left.
    mutating func end() throws {
        skipWhitespace()
        if position < bytes.count { throw syntax("more text after the JSON value") }
    }

    // MARK: - Bytes

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// The next byte that is not whitespace, not consumed.
    private mutating func nextByte() throws -> UInt8 {
        skipWhitespace()
        guard position < bytes.count else { throw syntax("the line ends too early") }
        return bytes[position]
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard try nextByte() == byte else { throw syntax("expected '\(Unicode.Scalar(byte))'") }
        position += 1
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count,
              UnsafeBufferPointer(rebasing: bytes[position..<(position + count)]).elementsEqual(
                  UnsafeBufferPointer(start: word.utf8Start, count: count))
        else { throw syntax("unexpected character '\(Unicode.Scalar(bytes[position]))'") }
        position += count
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
             UInt8(ascii: "e"), UInt8(ascii: "E"): return true
        default: return false
        }
    }

    /// The rest of a string that holds escapes, from its opening quote at `start - 1`: plain runs are copied
    /// whole, escapes decoded one by one.
    private mutating func escapedString(from start: Int) throws -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(position - start + 64)
        var runStart = start
        while position < bytes.count {
            let byte = bytes[position]
            if byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "\"") && byte >= 0x20 {
                position += 1
                continue
            }
            decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
            position += 1
            if byte == UInt8(ascii: "\"") {
                guard let string = String(validating: decoded, as: UTF8.self) else { throw syntax("a string is not valid UTF-8") }
                return string
            }
            guard byte == UInt8(ascii: "\\") else { throw syntax("a control character inside a string") }
            guard position < bytes.count else { break }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"): try appendUnicodeEscape(to: &decoded)
            default: throw syntax("an unknown escape '\\\(Unicode.Scalar(escape))'")
            }
            runStart = position
        }
        throw syntax("a string is not closed")
    }

    /// The UTF-8 of a `\uXXXX` escape (after its `\u`), joining a surrogate pair into one scalar.
    private mutating func appendUnicodeEscape(to decoded: inout [UInt8]) throws {
        let first = try hex4()
        var scalarValue = UInt32(first)
        if (0xD800..<0xDC00).contains(first) {
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                throw syntax("a lone surrogate in a \\u escape")
            }
            position += 2
            let second = try hex4()
            guard (0xDC00..<0xE000).contains(second) else { throw syntax("a lone surrogate in a \\u escape") }
            scalarValue = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw syntax("a lone surrogate in a \\u escape") }
        decoded.append(contentsOf: UTF8.encode(scalar)!)
    }

    private mutating func hex4() throws -> UInt16 {
        guard position + 4 <= bytes.count else { throw syntax("a short \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntax("a bad \\u escape")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    private func syntax(_ reason: String) -> JSONReaderSyntaxError {
        JSONReaderSyntaxError(reason: reason, offset: position)
    }
}

/// The line is not JSON; `offset` counts bytes from the start of the line.
struct JSONReaderSyntaxError: Error {
    var reason: String
    var offset: Int
}

/// The JSON is fine but a value has another type than the one asked for; the caller names the field.
struct JSONReaderMismatch: Error {}
