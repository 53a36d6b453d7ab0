/// What a tree's snapshot was read at, as the database sees it now.
///
/// Every insert, update or delete in PostgreSQL leaves a row version at a new place (`ctid`) written by a new
/// transaction (`xmin`), so the list of those pairs over a tree's messages and rankings changes with any change
/// to them, committed or not, and a rolled-back transaction's id never becomes visible again. The database
/// hashes that list, a few hundred bytes per tree, instead of sending the rows.
enum TreeFingerprint {
    /// An SQL expression for the tree whose id is `treeID` (a column or a bind), of type text.
    static func expression(treeID: String) -> String {
        """
        ((SELECT count(*)::text || ':' || coalesce(md5(string_agg(fm.ctid::text || fm.xmin::text, ',' ORDER BY fm.id)), '')
            FROM messages fm WHERE fm.tree_id = \(treeID))
         || '/' ||
         (SELECT count(*)::text || ':' || coalesce(md5(string_agg(fr.ctid::text || fr.xmin::text, ',' ORDER BY fr.id)), '')
            FROM rankings fr WHERE fr.tree_id = \(treeID)))
        """
    }
}
