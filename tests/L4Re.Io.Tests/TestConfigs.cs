using L4Re.Io.Config;

namespace L4Re.Io.Tests;

/// <summary>Access to the configuration files copied next to the test assembly.</summary>
internal static class TestConfigs
{
    public static string BaikalPath => Path.Combine(TestContext.CurrentContext.TestDirectory, "Configs", "baikal-t1-router.iocfg");

    public static string BaikalText => File.ReadAllText(BaikalPath);

    public static IoConfig Baikal => IoConfigParser.Parse(BaikalText, "baikal-t1-router.iocfg");

    /// <summary>A canonical text of a configuration: two configurations are equal (locations aside) when these are.</summary>
    public static string Canonical(IoConfig config) => IoConfigWriter.Write(config);
}
