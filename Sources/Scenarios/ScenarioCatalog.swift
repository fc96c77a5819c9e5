import SimKernel

/// The modules scenario files can name.
///
/// Adding a module: write one file in `Sources/Scenarios` with a type
/// conforming to `PolicyModule` (SimKernel), and add the type to ``standard``.
public enum ScenarioCatalog {
    /// Every module simrun ships, in the order `simrun scenario list` shows them.
    public static let standard = ModuleCatalog([
        UniversalChildGrant.self,
        SocialPension.self,
        DisabilityBenefit.self,
        MaternityBenefit.self,
        UnemploymentInsurance.self,
        MeansTestedTransfer.self,
        SocialContributions.self,
        IncomeTax.self,
        ValueAddedTax.self,
        ContributionSubsidy.self,
    ])
}
