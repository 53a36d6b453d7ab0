/// What a tree's snapshot was read at, as the database sees it now.
///
/// Every insert, update or delete in PostgreSQL leaves a row version at a new place (`ctid`) written by a new
/// transaction (`xmin`), so the set of those pairs over a tree's messages and rankings changes with any change
/// to them, committed or not, and a rolled-back transaction's id never becomes visible again. The database
/// sends the row count and the sum of the pairs' 64-bit hashes instead of the rows. A sum needs no order; an md5
/// of the pairs in id order sorted every tree's rows, and under the task bench's load the listing of the active
/// trees took 5–6.5 ms with it against 1.2–1.7 ms with the sum (0.2–0.4 ms without any fingerprint).
enum TreeFingerprint {
    /// An SQL expression for the tree whose id is `treeID` (a column or a bind), of type text.
    static func expression(treeID: String) -> String {
        """
        ((SELECT count(*)::text || ':' || coalesce(sum(hashtextextended(fm.ctid::text || fm.xmin::text, 0)), 0)::text
            FROM messages fm WHERE fm.tree_id = \(treeID))
         || '/' ||
         (SELECT count(*)::text || ':' || coalesce(sum(hashtextextended(fr.ctid::text || fr.xmin::text, 0)), 0)::text
            FROM rankings fr WHERE fr.tree_id = \(treeID)))
        """
    }
}
