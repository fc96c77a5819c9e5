/// simrun's version, as every output's provenance names it (`simrun --version`).
public enum SimrunVersion {
    public static let current = "0.1.0"
}
