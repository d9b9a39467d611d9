import CGSL

/// Process-wide GSL set-up.
public enum GSL {
    private static let once: Void = {
        // GSL's default handler calls abort(). Every parameter is validated in Swift before GSL
        // sees it; with the handler off, the calls whose status matters (the Cholesky
        // decomposition) return it instead of ending the process.
        gsl_set_error_handler_off()
    }()

    /// Turns GSL's abort-on-error handler off, once per process; safe to call repeatedly.
    public static func configure() { _ = once }
}
