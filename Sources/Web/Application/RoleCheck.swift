import Storage

extension AppRequestContext {
    /// The signed-in user when their role is at least `role`: signed-out visitors are sent to sign in,
    /// everyone else is refused. (Banned users never get this far: the session middleware answers them.)
    func requireRole(_ role: User.Role) throws -> User {
        let user = try requireUser()
        guard user.role >= role else {
            throw AppError.forbidden("This page is for \(role == .admin ? "admins" : "moderators") only.")
        }
        return user
    }
}
