import NIOCore
import PostgresNIO

/// A `timestamptz` exactly as Postgres sends it: microseconds since 2000-01-01 UTC. `Date` would go through a
/// Double; this keeps the value an export sorts by and writes, and formats it without a DateFormatter.
struct PostgresTimestamp: PostgresDecodable, Comparable, Sendable {
    var microsecondsSince2000: Int64

    init(microsecondsSince2000: Int64) {
        self.microsecondsSince2000 = microsecondsSince2000
    }

    init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard type == .timestamptz || type == .timestamp else { throw PostgresDecodingError.Code.typeMismatch }
        guard format == .binary, buffer.readableBytes == 8, let value = buffer.readInteger(as: Int64.self) else {
            throw PostgresDecodingError.Code.failure
        }
        microsecondsSince2000 = value
    }

    static func < (a: Self, b: Self) -> Bool { a.microsecondsSince2000 < b.microsecondsSince2000 }

    /// `YYYY-MM-DDTHH:MM:SS.ffffff+00:00` in UTC, the layout of the oasst files' `created_date`.
    func appendISO8601(to bytes: inout [UInt8]) {
        let perDay: Int64 = 86_400_000_000
        let (daysSince2000, microsOfDay) = Self.floorDivision(microsecondsSince2000, perDay)
        let (year, month, day) = Self.civilDate(daysSince1970: daysSince2000 + 10_957)
        let seconds = microsOfDay / 1_000_000
        append(year, width: 4, to: &bytes); bytes.append(UInt8(ascii: "-"))
        append(month, width: 2, to: &bytes); bytes.append(UInt8(ascii: "-"))
        append(day, width: 2, to: &bytes); bytes.append(UInt8(ascii: "T"))
        append(seconds / 3600, width: 2, to: &bytes); bytes.append(UInt8(ascii: ":"))
        append(seconds / 60 % 60, width: 2, to: &bytes); bytes.append(UInt8(ascii: ":"))
        append(seconds % 60, width: 2, to: &bytes); bytes.append(UInt8(ascii: "."))
        append(microsOfDay % 1_000_000, width: 6, to: &bytes)
        bytes.append(contentsOf: "+00:00".utf8)
    }

    /// Year, month and day of a day counted from 1970-01-01 in the proleptic Gregorian calendar. Days are
    /// counted from 0000-03-01 so that the leap day ends each year, then split into 400-year eras.
    private static func civilDate(daysSince1970: Int64) -> (Int64, Int64, Int64) {
        let fromMarch0000 = daysSince1970 + 719_468
        let (era, dayOfEra) = floorDivision(fromMarch0000, 146_097)
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = era * 400 + yearOfEra + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor, remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Decimal digits, zero-padded to `width` (more digits when the value needs them).
    private func append(_ value: Int64, width: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt64 = 1
        for _ in 1..<width { divisor *= 10 }
        while magnitude / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }
}
