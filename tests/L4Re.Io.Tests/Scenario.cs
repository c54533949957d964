using L4Re.Kernel.Abi;
using System.Text.RegularExpressions;
using L4Re.Io.Config;
using L4Re.Io.Hw;
using L4Re.Io.Vbus;

namespace L4Re.Io.Tests;

/// <summary>
/// A random device set and vbus configuration (from a seeded <see cref="Random"/>), with an oracle
/// that predicts — independently of the matcher under test — which devices each rule selects and
/// which errors loading must report.
/// </summary>
internal sealed class Scenario
{
    private static readonly string?[] Hids = ["acme,uart", "acme,uart2", "acme,eth", "bcm,wifi", null];
    private static readonly string[] Compatibles = ["c-uart", "c-eth", "c-wifi", "ns16550a"];
    private static readonly ushort[] Vendors = [0x168c, 0x14e4, 0x8086];
    private static readonly uint[] Classes = [0x028000, 0x020000, 0x010601];
    private static readonly string[] HidGlobs = ["acme,*", "acme,uart", "acme,uart?", "*wifi", "bcm,*", "none*", "acme,[eu]*"];

    // PCI id strings with an independent predicate each.
    private static readonly (string Id, Func<PciIdentity, bool> Oracle)[] PciIds =
    [
        ("VEN_168c", p => p.VendorId == 0x168c),
        ("VEN_14e4&DEV_0002", p => p.VendorId == 0x14e4 && p.DeviceId == 2),
        ("CC_02", p => p.ClassCode >> 16 == 0x02),
        ("CC_0106", p => p.ClassCode >> 8 == 0x0106),
        ("network_nw", p => p.ClassCode >> 8 == 0x0280),
        ("CC_028000&REV_00", p => p.ClassCode == 0x028000 && p.Revision == 0),
    ];

    public List<HwDevice> Devices { get; } = [];

    public List<VbusSpec> Vbuses { get; } = [];

    public IoConfig Config => new(Devices, Vbuses);

    /// <summary>Random valid devices named <paramref name="prefix"/>0.. with MMIO windows from <paramref name="mmioBase"/> and IRQs from <paramref name="irqBase"/>.</summary>
    public static Scenario Generate(Random rnd, string prefix, ulong mmioBase, uint irqBase, IReadOnlyList<HwDevice> existing, int vbusSerial)
    {
        var s = new Scenario();
        var n = rnd.Next(0, 10);
        for (var i = 0; i < n; i++)
        {
            var b = new HwDeviceBuilder($"{prefix}{i}", "gen");
            if (Hids[rnd.Next(Hids.Length)] is { } hid)
                b.Hid(hid);
            b.Compatible(Compatibles.Where(_ => rnd.Next(3) == 0).ToArray());
            if (rnd.Next(3) == 0)
                b.Pci(new PciIdentity(Vendors[rnd.Next(Vendors.Length)], (ushort)rnd.Next(1, 4), Classes[rnd.Next(Classes.Length)], (byte)rnd.Next(2)));
            for (var k = 0; k < rnd.Next(1, 4); k++)
                b.Mmio($"m{k}", mmioBase + (ulong)i * 0x10000 + (ulong)k * 0x1000, 0x1000, rnd.Next(2) == 0 ? MemFlags.RW : MemFlags.R);
            for (var k = 0; k < rnd.Next(0, 3); k++)
            {
                if (rnd.Next(4) == 0)
                    b.Irq($"s{k}", 1000, IrqMode.LevelHigh, shared: true);
                else
                    b.Irq($"i{k}", irqBase + (uint)(i * 4 + k), (IrqMode)(new byte[] { 0, 1, 3, 5, 7, 9 })[rnd.Next(6)]);
            }
            b.Dma(rnd.Next(2) == 0);
            s.Devices.Add(b.Build());
        }

        var all = existing.Concat(s.Devices).ToList();
        var m = rnd.Next(0, 5);
        for (var v = 0; v < m; v++)
        {
            var name = $"vb{vbusSerial}_{v}";
            var rules = new List<MatchRule>();
            for (var r = 0; r < rnd.Next(0, 4); r++)
            {
                var (kind, pattern) = rnd.Next(5) switch
                {
                    0 => (MatchKind.Name, all.Count > 0 && rnd.Next(6) != 0 ? all[rnd.Next(all.Count)].Name : "missing"),
                    1 => (MatchKind.Hid, HidGlobs[rnd.Next(HidGlobs.Length)]),
                    2 => (MatchKind.Compatible, rnd.Next(6) == 0 ? "c-none" : Compatibles[rnd.Next(Compatibles.Length)]),
                    3 => (MatchKind.Pci, PciIds[rnd.Next(PciIds.Length)].Id),
                    _ => (MatchKind.Io, rnd.Next(2) == 0 ? HidGlobs[rnd.Next(HidGlobs.Length)] : Compatibles[rnd.Next(Compatibles.Length)]),
                };
                rules.Add(new MatchRule(kind, pattern, ConfigLocation.InBuilder("gen", $"vbus '{name}' rule {r}")));
            }
            s.Vbuses.Add(new VbusSpec(name, rules, ConfigLocation.InBuilder("gen", $"vbus '{name}'")));
        }
        return s;
    }

    /// <summary>Does <paramref name="rule"/> select <paramref name="d"/>? Written without the library's matchers.</summary>
    public static bool Oracle(MatchRule rule, HwDevice d)
    {
        bool Glob(string pattern, string? text) => text is not null && Regex.IsMatch(text,
            "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal)
                .Replace("\\[eu]", "[eu]", StringComparison.Ordinal) + "$");
        return rule.Kind switch
        {
            MatchKind.Name => d.Name == rule.Pattern,
            MatchKind.Hid => Glob(rule.Pattern, d.Hid),
            MatchKind.Compatible => d.Compatible.Contains(rule.Pattern),
            MatchKind.Pci => d.Pci is { } p && PciIds.Single(x => x.Id == rule.Pattern).Oracle(p),
            MatchKind.Io => Glob(rule.Pattern, d.Hid) || d.Compatible.Contains(rule.Pattern),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>
    /// Predicts the load: the devices of each new vbus, and the error codes (empty when the load must succeed).
    /// </summary>
    public (Dictionary<string, List<HwDevice>> Buses, HashSet<ConfigErrorCode> Errors) Predict(IReadOnlyList<HwDevice> existing, IReadOnlyDictionary<HwDevice, string> owners)
    {
        var all = existing.Concat(Devices).ToList();
        var claims = new Dictionary<HwDevice, string>(owners);
        var buses = new Dictionary<string, List<HwDevice>>();
        var errors = new HashSet<ConfigErrorCode>();
        foreach (var v in Vbuses)
        {
            var mine = new List<HwDevice>();
            foreach (var rule in v.Rules)
            {
                var hits = all.Where(d => Oracle(rule, d)).ToList();
                if (hits.Count == 0)
                    errors.Add(ConfigErrorCode.UnknownDevice);
                foreach (var d in hits)
                {
                    if (mine.Contains(d))
                        continue;
                    if (claims.ContainsKey(d))
                    {
                        errors.Add(ConfigErrorCode.DuplicateClaim);
                        continue;
                    }
                    claims[d] = v.Name;
                    mine.Add(d);
                }
            }
            buses[v.Name] = mine;
        }
        return (buses, errors);
    }
}
