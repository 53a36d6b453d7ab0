import Testing
@testable import Storage

@Suite("Splitting migration files into statements")
struct SQLScriptTests {
    @Test func splitsOnSemicolonsOutsideQuotesAndComments() {
        let sql = """
        -- a comment; with a semicolon
        CREATE TABLE a (t text DEFAULT 'x;y');
        /* block; comment */ INSERT INTO a VALUES ('it''s; fine');
        CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;
        SELECT "odd;name" FROM a
        """
        let statements = SQLScript.statements(in: sql)
        #expect(statements.count == 4)
        #expect(statements[0].hasSuffix("DEFAULT 'x;y')"))
        #expect(statements[1].contains("'it''s; fine'"))
        #expect(statements[2].contains("RETURN 1; END;"))
        #expect(statements[3] == "SELECT \"odd;name\" FROM a")
    }

    @Test func ignoresTrailingComments() {
        #expect(SQLScript.statements(in: "SELECT 1;\n-- done\n").count == 1)
        #expect(SQLScript.statements(in: "  ;; ").isEmpty)
    }
}
