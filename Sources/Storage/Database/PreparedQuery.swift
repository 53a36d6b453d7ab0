import PostgresNIO

/// A prepared statement whose bound values are listed once, in the order of its `bindingDataTypes`.
protocol PreparedQuery: PostgresPreparedStatement {
    var bound: [any PostgresThrowingDynamicTypeEncodable] { get }
}

extension PreparedQuery {
    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: bound.count)
        for value in bound { try bindings.append(value) }
        return bindings
    }
}
