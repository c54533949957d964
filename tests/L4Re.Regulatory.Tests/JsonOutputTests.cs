using L4Re.Regulatory.Gate;
using L4Re.Regulatory.Reporting;

namespace L4Re.Regulatory.Tests;

/// <summary>The exact JSON of <c>l4re regdb channel</c> and <c>l4re regdb check</c> (external checks rely on it).</summary>
public class JsonOutputTests
{
    private static string Channel(string country, int mhz) => RegdbJson.Channel(TestDomains.Country(country), (uint)mhz * 1000);

    [TestCase("US", 5260, """{"country":"US","freq_mhz":5260,"enabled":true,"max_eirp_dbm":24,"max_bandwidth_mhz":160,"flags":["DFS"]}""")]
    [TestCase("US", 5845, """{"country":"US","freq_mhz":5845,"enabled":true,"max_eirp_dbm":27,"max_bandwidth_mhz":320,"flags":["NO-OUTDOOR","NO-IR"]}""")]
    [TestCase("DE", 5720, """{"country":"DE","freq_mhz":5720,"enabled":true,"max_eirp_dbm":13,"max_bandwidth_mhz":80,"flags":["DFS"]}""")]
    [TestCase("JP", 2484, """{"country":"JP","freq_mhz":2484,"enabled":true,"max_eirp_dbm":20,"max_bandwidth_mhz":20,"flags":["NO-OFDM"]}""")]
    [TestCase("00", 5260, """{"country":"00","freq_mhz":5260,"enabled":true,"max_eirp_dbm":20,"max_bandwidth_mhz":160,"flags":["DFS","NO-IR"]}""")]
    [TestCase("DE", 5180, """{"country":"DE","freq_mhz":5180,"enabled":true,"max_eirp_dbm":23,"max_bandwidth_mhz":160,"flags":["NO-OUTDOOR"]}""")]
    [TestCase("US", 2484, """{"country":"US","freq_mhz":2484,"enabled":false,"max_eirp_dbm":0,"max_bandwidth_mhz":0,"flags":[]}""")]
    [TestCase("US", 5000, """{"country":"US","freq_mhz":5000,"enabled":false,"max_eirp_dbm":0,"max_bandwidth_mhz":0,"flags":[]}""")]
    public void Channel_json(string country, int mhz, string expected) => Assert.That(Channel(country, mhz), Is.EqualTo(expected));

    [Test]
    public void Channel_json_keeps_fractional_MHz() =>
        Assert.That(RegdbJson.Channel(TestDomains.Country("US"), 903_500), Does.StartWith("""{"country":"US","freq_mhz":903.5,"enabled":false"""));

    private static string Check(string country, int mhz, int width, decimal dbm, decimal dbi = 0, OperatingMode mode = OperatingMode.AccessPoint,
        bool outdoor = false, bool cacDone = false) =>
        RegdbJson.Decision(RegdbQueries.Check(TestDomains.Country(country), new RadioRequest
        {
            FrequencyKhz = (uint)mhz * 1000, WidthMhz = width, TxPowerMbm = (int)(dbm * 100), AntennaGainMbi = (int)(dbi * 100), Mode = mode, Outdoor = outdoor,
        }, cacDone));

    [Test]
    public void Check_json()
    {
        Assert.That(Check("US", 5180, 80, 20), Is.EqualTo("""{"decision":"accept","granted_eirp_dbm":20,"reason":"within the rules"}"""));
        Assert.That(Check("US", 5180, 80, 30), Is.EqualTo("""{"decision":"clamp","granted_eirp_dbm":23,"reason":"TX power lowered to the regulatory EIRP limit"}"""));
        Assert.That(Check("US", 5260, 80, 20), Is.EqualTo("""{"decision":"refuse","granted_eirp_dbm":0,"reason":"DFS: channel availability check not completed"}"""));
        Assert.That(Check("US", 5260, 80, 20, cacDone: true), Is.EqualTo("""{"decision":"accept","granted_eirp_dbm":20,"reason":"within the rules"}"""));
        Assert.That(Check("US", 5260, 80, 20.5m, 1.25m, cacDone: true), Is.EqualTo("""{"decision":"accept","granted_eirp_dbm":21.75,"reason":"within the rules"}"""));
        Assert.That(Check("US", 5845, 20, 20), Is.EqualTo("""{"decision":"refuse","granted_eirp_dbm":0,"reason":"NO-IR: initiating radiation not allowed"}"""));
        Assert.That(Check("US", 5845, 20, 30, mode: OperatingMode.Station), Is.EqualTo("""{"decision":"clamp","granted_eirp_dbm":27,"reason":"TX power lowered to the regulatory EIRP limit"}"""));
        Assert.That(Check("DE", 5180, 20, 10, outdoor: true), Is.EqualTo("""{"decision":"refuse","granted_eirp_dbm":0,"reason":"NO-OUTDOOR: indoor use only"}"""));
        Assert.That(Check("DE", 5600, 20, 20, cacDone: true), Is.EqualTo("""{"decision":"accept","granted_eirp_dbm":20,"reason":"within the rules"}"""));
        Assert.That(Check("DE", 5500, 160, 30, 3, cacDone: true), Is.EqualTo("""{"decision":"clamp","granted_eirp_dbm":26,"reason":"TX power lowered to the regulatory EIRP limit"}"""));
        Assert.That(Check("US", 5180, 30, 20), Is.EqualTo("""{"decision":"refuse","granted_eirp_dbm":0,"reason":"invalid request"}"""));
    }
}
