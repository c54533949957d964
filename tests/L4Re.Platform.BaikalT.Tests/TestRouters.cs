using L4Re.Platform.BaikalT.RegulatoryData;
using L4Re.Platform.BaikalT.Composition;
using L4Re.Regulatory.Regdb;

namespace L4Re.Platform.BaikalT.Tests;

/// <summary>Routers for tests; the embedded regulatory database is parsed once (it is immutable).</summary>
internal static class TestRouters
{
    private static readonly Lazy<RegulatoryDatabase> Db = new(BuiltInRegulatoryDatabase.Load);

    public static RegulatoryDatabase Regdb => Db.Value;

    /// <summary>A builder with the shared database.</summary>
    public static RouterBuilder Builder() => new RouterBuilder().WithRegulatoryDatabase(Regdb);

    /// <summary>The trusted side alone (no VM).</summary>
    public static Router TrustedOnly(bool iommu = true, string country = "US") =>
        Builder().WithoutVm().WithIommu(iommu).WithCountry(country).Build();
}
