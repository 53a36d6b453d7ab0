import PostgresNIO

/// Decodes a row's columns one after another. `rows.decode((A, B, …).self)` builds tuple metadata at run time
/// for every row, which costs more than the decoding itself when an export reads a hundred thousand rows.
struct RowReader {
    private var cells: PostgresRow.Iterator

    init(_ row: PostgresRow) {
        cells = row.makeIterator()
    }

    struct MissingColumn: Error {}

    mutating func next<Value: PostgresDecodable>(_: Value.Type = Value.self) throws -> Value {
        guard let cell = cells.next() else { throw MissingColumn() }
        return try cell.decode(Value.self)
    }
}
