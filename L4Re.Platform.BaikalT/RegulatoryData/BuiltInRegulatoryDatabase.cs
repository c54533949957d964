using L4Re.Regulatory.Regdb;
using L4Re.Regulatory.Regdb.DbTxt;

namespace L4Re.Platform.BaikalT.RegulatoryData;

/// <summary>
/// The regulatory database the trusted component is built with by default: wireless-regdb's <c>db.txt</c> (ISC licence,
/// see the package's wireless-regdb-NOTICE), embedded in the package and compiled with L4Re.Regulatory's
/// <c>db2fw.py</c>-equivalent compiler — firmware of the trusted side, which is why it needs no signature check at run
/// time. Use <c>L4Re.Regulatory</c>'s loader to run with a signed <c>/lib/firmware/regulatory.db</c> instead.
/// </summary>
public static class BuiltInRegulatoryDatabase
{
    private const string ResourceName = "L4Re.Platform.BaikalT.wireless-regdb.db.txt";

    /// <summary>The embedded db.txt.</summary>
    public static string DbTxt()
    {
        using var stream = typeof(BuiltInRegulatoryDatabase).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from the package");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Parses and compiles the embedded db.txt (a new object graph each call; there is no shared state).</summary>
    public static RegulatoryDatabase Load() => RegulatoryDatabase.Read(RegulatoryDbCompiler.Compile(DbTxtParser.Parse(DbTxt())));
}
