/// How many sign-in mails may be asked for: per address (so nobody floods one inbox) and per client
/// address (so one machine cannot mail many people), each over a sliding hour.
public enum SignInLimits {
    public static let mailsPerAddress = 5
    public static let mailsPerClient = 20
    public static let windowSeconds = 3600
}
