using System.Text.Json;

namespace L4Re.Integration.Tests;

/// <summary>
/// The <c>l4re regdb</c> commands end to end, on Debian's installed regulatory.db (package
/// wireless-regdb, installed by the Test target). External checks rely on the exact JSON shape.
/// </summary>
public class RegdbCliTests
{
    private const string Db = "/lib/firmware/regulatory.db-upstream";

    [OneTimeSetUp]
    public void RequireDb() =>
        Assert.That(File.Exists(Db), Is.True, $"{Db} is missing: install Debian's wireless-regdb package (the Test target does)");

    [Test]
    public void Channel_json_has_the_documented_keys_in_order()
    {
        var (rc, stdout, stderr) = CliRunner.Run("regdb", "channel", "--db", Db, "--country", "US", "--freq", "5260", "--json");
        Assert.That(rc, Is.EqualTo(0), stderr);
        using var doc = JsonDocument.Parse(stdout);
        var keys = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.That(keys, Is.EqualTo(new[] { "country", "freq_mhz", "enabled", "max_eirp_dbm", "max_bandwidth_mhz", "flags" }));
        Assert.That(doc.RootElement.GetProperty("country").GetString(), Is.EqualTo("US"));
        Assert.That(doc.RootElement.GetProperty("freq_mhz").GetInt32(), Is.EqualTo(5260));
        Assert.That(doc.RootElement.GetProperty("enabled").GetBoolean(), Is.True);
        Assert.That(doc.RootElement.GetProperty("max_eirp_dbm").GetInt32(), Is.EqualTo(24));
        var flags = doc.RootElement.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ToArray();
        Assert.That(flags, Does.Contain("DFS"));
    }

    [Test]
    public void Channel_straddling_a_DFS_rule_and_a_25_mW_rule_gets_13_dBm()
    {
        var (rc, stdout, stderr) = CliRunner.Run("regdb", "channel", "--db", Db, "--country", "DE", "--freq", "5720", "--json");
        Assert.That(rc, Is.EqualTo(0), stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.That(doc.RootElement.GetProperty("max_eirp_dbm").GetInt32(), Is.EqualTo(13));
    }

    [Test]
    public void Channel_outside_every_rule_is_disabled()
    {
        var (rc, stdout, _) = CliRunner.Run("regdb", "channel", "--db", Db, "--country", "US", "--freq", "2484", "--json");
        Assert.That(rc, Is.EqualTo(0));
        using var doc = JsonDocument.Parse(stdout);
        Assert.That(doc.RootElement.GetProperty("enabled").GetBoolean(), Is.False);
    }

    [Test]
    public void Check_refuses_a_DFS_channel_before_CAC_and_accepts_after()
    {
        var before = CliRunner.Run("regdb", "check", "--db", Db, "--country", "US", "--freq", "5260", "--width", "80", "--power", "20", "--json");
        var after = CliRunner.Run("regdb", "check", "--db", Db, "--country", "US", "--freq", "5260", "--width", "80", "--power", "20", "--cac-done", "--json");
        using var b = JsonDocument.Parse(before.Stdout);
        using var a = JsonDocument.Parse(after.Stdout);
        Assert.That(b.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "decision", "granted_eirp_dbm", "reason" }));
        Assert.That(b.RootElement.GetProperty("decision").GetString(), Is.EqualTo("refuse"));
        Assert.That(a.RootElement.GetProperty("decision").GetString(), Is.EqualTo("accept"));
        Assert.That(a.RootElement.GetProperty("granted_eirp_dbm").GetInt32(), Is.EqualTo(20));
    }

    [Test]
    public void Check_clamps_power_above_the_limit()
    {
        var (rc, stdout, stderr) = CliRunner.Run("regdb", "check", "--db", Db, "--country", "US", "--freq", "2437", "--width", "20", "--power", "40", "--json");
        Assert.That(rc, Is.EqualTo(0), stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.That(doc.RootElement.GetProperty("decision").GetString(), Is.EqualTo("clamp"));
        Assert.That(doc.RootElement.GetProperty("granted_eirp_dbm").GetInt32(), Is.EqualTo(30));
    }

    [Test]
    public void Missing_database_fails_with_a_message_not_a_crash()
    {
        var (rc, _, stderr) = CliRunner.Run("regdb", "channel", "--db", "/nonexistent/regulatory.db", "--country", "US", "--freq", "2412", "--json");
        Assert.That(rc, Is.Not.EqualTo(0));
        Assert.That(stderr, Does.Contain("regulatory.db"));
    }

    [Test]
    public void Compile_of_the_upstream_db_txt_reproduces_debians_binary()
    {
        var dbTxt = Path.Combine(TestContext.CurrentContext.TestDirectory, "db.txt");
        Assert.That(File.Exists(dbTxt), Is.True, "db.txt test data missing");
        var output = Path.Combine(Path.GetTempPath(), $"l4re-regdb-{Guid.NewGuid():N}.db");
        try
        {
            var (rc, _, stderr) = CliRunner.Run("regdb", "compile", dbTxt, "-o", output);
            Assert.That(rc, Is.EqualTo(0), stderr);
            Assert.That(File.ReadAllBytes(output), Is.EqualTo(File.ReadAllBytes(Db)));
        }
        finally
        {
            File.Delete(output);
        }
    }
}
