namespace L4Re.Regulatory.Tests;

/// <summary>Paths to the test data: the copies in TestData/ and Debian's installed wireless-regdb package.</summary>
internal static class TestData
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "TestData", "wireless-regdb");

    public static string DbTxtPath => Path.Combine(Dir, "db.txt");
    public static string WensCertPath => Path.Combine(Dir, "wens.x509.pem");
    public static string DebianCertPath => Path.Combine(Dir, "benh-debian.x509.pem");

    public static string DbTxt => File.ReadAllText(DbTxtPath);

    public const string UpstreamDbPath = "/lib/firmware/regulatory.db-upstream";
    public const string UpstreamSigPath = "/lib/firmware/regulatory.db.p7s-upstream";
    public const string DebianDbPath = "/lib/firmware/regulatory.db-debian";
    public const string DebianSigPath = "/lib/firmware/regulatory.db.p7s-debian";

    /// <summary>Reads a file of Debian's wireless-regdb package; fails the test clearly when it is not installed.</summary>
    public static byte[] Installed(string path)
    {
        if (!File.Exists(path))
            Assert.Fail($"{path} is missing: install Debian's wireless-regdb package (build.cake's debianPackages lists it; `apt-get install wireless-regdb`).");
        return File.ReadAllBytes(path);
    }
}
