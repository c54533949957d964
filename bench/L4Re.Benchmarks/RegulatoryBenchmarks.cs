using BenchmarkDotNet.Attributes;
using L4Re.Regulatory.Dfs;
using L4Re.Regulatory.Gate;
using L4Re.Regulatory.Regdb;
using L4Re.Regulatory.Regdb.Signature;
using L4Re.Regulatory.Rules;

namespace L4Re.Benchmarks;

/// <summary>
/// The FCC policy gate and regulatory.db loading (issue 7 targets: ≥ 10 M gate decisions/s with 0 B each;
/// load + validate of the full regulatory.db ≤ 1 ms). Reads Debian's installed wireless-regdb package.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class RegulatoryBenchmarks
{
    private const int DecisionsPerInvoke = 1024;
    private const string DbPath = "/lib/firmware/regulatory.db-upstream";
    private const string SigPath = "/lib/firmware/regulatory.db.p7s-upstream";

    private byte[] _image = [];
    private byte[] _signature = [];
    private RegulatoryPolicyGate _gate = null!;
    private RadioRequest[] _requests = [];
    private RegdbSignatureVerifier _verifier = null!;

    /// <summary>Loads the database, builds a gate for US on the router's dual-band radio, completes a CAC on channel 52.</summary>
    [GlobalSetup]
    public void Setup()
    {
        if (!File.Exists(DbPath))
            throw new InvalidOperationException($"{DbPath} is missing: install Debian's wireless-regdb package.");
        _image = File.ReadAllBytes(DbPath);
        _signature = File.ReadAllBytes(SigPath);
        _verifier = new RegdbSignatureVerifier(RegdbCertificates.LoadFile(FindInRepository("tests/L4Re.Regulatory.Tests/TestData/wireless-regdb/wens.x509.pem")));
        var db = RegulatoryDatabase.Read(_image);
        var clock = new ManualClock();
        _gate = new RegulatoryPolicyGate(db["US"], InterfaceCapabilities.DualBandRouter(), clock);
        ChannelDefinition.TryCreate(5_260_000, 80, 0, out var ch52);
        _gate.Dfs.StartCac(ch52);
        clock.Advance(TimeSpan.FromMinutes(1));
        _gate.Dfs.SetOperating(ch52);
        // A mix: accept, clamp, refuse for DFS, NO-IR, width, invalid; 20 to 160 MHz.
        _requests =
        [
            RadioRequest.ForFrequency(5180, 80, 17),
            RadioRequest.ForFrequency(5260, 80, 20, antennaGainDbi: 3),
            RadioRequest.ForFrequency(5745, 80, 30),
            RadioRequest.ForFrequency(2412, 20, 20),
            RadioRequest.ForFrequency(5500, 40, 20),
            RadioRequest.ForFrequency(5180, 160, 20),
            RadioRequest.ForFrequency(2437, 40, 15, OperatingMode.Station),
            RadioRequest.ForFrequency(5200, 30, 15),
        ];
    }

    /// <summary>Gate decisions; the reported time is per decision.</summary>
    [Benchmark(OperationsPerInvoke = DecisionsPerInvoke)]
    public int GateDecision()
    {
        var allowed = 0;
        var requests = _requests;
        for (var i = 0; i < DecisionsPerInvoke; i++)
            if (_gate.Decide(requests[i & 7]).IsAllowed)
                allowed++;
        return allowed;
    }

    /// <summary>Decode and validate the whole regulatory.db (182 countries).</summary>
    [Benchmark]
    public int LoadAndValidate() => RegulatoryDatabase.Read(_image).Countries.Count;

    /// <summary>Verify the signature (SHA-256/RSA-2048), then decode and validate.</summary>
    [Benchmark]
    public int VerifyLoadAndValidate()
    {
        _verifier.Verify(_image, _signature);
        return RegulatoryDatabase.Read(_image).Countries.Count;
    }

    /// <summary>Evaluate one 20 MHz channel the way cfg80211's handle_channel() does.</summary>
    [Benchmark]
    public int EvaluateChannel() => Cfg80211.EvaluateChannel(_gate.Country, 5_845_000).MaxRegPowerDbm;

    private static string FindInRepository(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>Releases the verifier's keys.</summary>
    [GlobalCleanup]
    public void Cleanup() => _verifier.Dispose();
}
