/// The effsim release, written into run.json and reports.
public enum EffSimVersion {
    /// The version `effsim --version` prints and every record carries.
    public static let string = "0.1.0"
}
