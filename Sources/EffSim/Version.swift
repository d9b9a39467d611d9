/// The effsim release, written into run.json and reports.
public enum EffSimVersion {
    public static let string = "0.1.0"
}
