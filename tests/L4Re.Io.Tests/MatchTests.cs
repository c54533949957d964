using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using L4Re.Io.Config;
using L4Re.Io.Hw;
using L4Re.Io.Vbus;

namespace L4Re.Io.Tests;

public class MatchTests
{
    [TestCase("snps,dw-apb-uart", "snps,dw-apb-uart", true)]
    [TestCase("snps,*", "snps,dw-apb-uart", true)]
    [TestCase("snps,*", "snps,", true)]
    [TestCase("*uart", "snps,dw-apb-uart", true)]
    [TestCase("*uart", "snps,dw-apb-uart0", false)]
    [TestCase("PNP0[3F]??", "PNP0303", true)]   // io's vbus-config.vbus example (keyboard)
    [TestCase("PNP0[3F]??", "PNP0F13", true)]   // (mouse)
    [TestCase("PNP0[3F]??", "PNP0B00", false)]  // (RTC)
    [TestCase("PNP0[!3F]??", "PNP0B00", true)]
    [TestCase("PNP0[^3F]??", "PNP0303", false)]
    [TestCase("a[a-c]d", "abd", true)]
    [TestCase("a[a-c]d", "add", false)]
    [TestCase("a[]]b", "a]b", true)]
    [TestCase("a\\*b", "a*b", true)]
    [TestCase("a\\*b", "axb", false)]
    [TestCase("*a*b*", "xxaxxbxx", true)]
    [TestCase("*a*b*", "xxbxxaxx", false)]
    [TestCase("?", "", false)]
    [TestCase("*", "", true)]
    [TestCase("a/b*", "a/bc", true)]            // fnmatch without FNM_PATHNAME: '*' crosses '/'
    public void Hid_globs_match_like_fnmatch(string pattern, string hid, bool expected) =>
        Assert.That(HidGlob.Compile(pattern).IsMatch(hid), Is.EqualTo(expected));

    [TestCase("a[bc")]
    [TestCase("a[")]
    [TestCase("abc\\")]
    [TestCase("a[z-a]")]
    public void Malformed_globs_are_rejected(string pattern)
    {
        Assert.That(HidGlob.TryCompile(pattern, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(pattern));
    }

    private static readonly string[] GlobParts = ["a", "b", "c", "*", "?", "[ab]", "[!a]", "[b-c]"];

    private static string ToRegex(IEnumerable<string> parts)
    {
        var sb = new StringBuilder("^");
        foreach (var p in parts)
            sb.Append(p switch { "*" => ".*", "?" => ".", "[!a]" => "[^a]", _ => p });
        return sb.Append('$').ToString();
    }

    [FsCheck.NUnit.Property(MaxTest = 500, Replay = "31337,4241", QuietOnSuccess = true)]
    public Property Globs_agree_with_a_regex_oracle(int seed)
    {
        var rnd = new Random(seed);
        var parts = Enumerable.Range(0, rnd.Next(0, 7)).Select(_ => GlobParts[rnd.Next(GlobParts.Length)]).ToList();
        var text = new string(Enumerable.Range(0, rnd.Next(0, 8)).Select(_ => "abcd"[rnd.Next(4)]).ToArray());
        var glob = HidGlob.Compile(string.Concat(parts));
        var expected = Regex.IsMatch(text, ToRegex(parts), RegexOptions.Singleline | RegexOptions.CultureInvariant);
        return (glob.IsMatch(text) == expected).Label($"glob '{glob}' text '{text}'");
    }

    private static readonly PciIdentity Wifi = new(0x168c, 0x003c, 0x028000, 0x01, 0x3112_168c, new PciAddress(0, 1, 0, 0));

    [TestCase("PCI/CC_02", true)]
    [TestCase("PCI/CC_0280", true)]
    [TestCase("PCI/CC_028000", true)]
    [TestCase("PCI/CC_0200", false)]
    [TestCase("PCI/CC_0d", false)]
    [TestCase("PCI/network", true)]
    [TestCase("PCI/network_nw", true)]
    [TestCase("PCI/ethernet", false)]
    [TestCase("PCI/VEN_168c", true)]
    [TestCase("PCI/VEN_168C&DEV_003C", true)]
    [TestCase("PCI/VEN_168c&DEV_003d", false)]
    [TestCase("PCI/REV_01", true)]
    [TestCase("PCI/SUBSYS_3112168c", true)]
    [TestCase("PCI/ADR_0000:01:00.0", true)]
    [TestCase("PCI/ADR_0000:02:00.0", false)]
    [TestCase("PCI/VEN_168c&DEV_003c&ADR_0000:01:00.0", true)]
    [TestCase("PCI/VEN_168c&&DEV_003c", true)]  // empty fields are skipped, as io does
    [TestCase("VEN_168c", true)]                // the prefix is optional for 'match pci'
    public void Pci_id_strings_match_like_io(string id, bool expected) =>
        Assert.That(PciMatch.Compile(id).IsMatch(Wifi), Is.EqualTo(expected));

    [TestCase("PCI/CC_0")]
    [TestCase("PCI/CC_028")]
    [TestCase("PCI/VEN_168")]
    [TestCase("PCI/VEN_168cc")]
    [TestCase("PCI/DEV_zzzz")]
    [TestCase("PCI/REV_1")]
    [TestCase("PCI/SUBSYS_123")]
    [TestCase("PCI/ADR_01:00")]
    [TestCase("PCI/FOO_1")]
    [TestCase("PCI/")]
    public void Malformed_pci_ids_are_rejected(string id) =>
        Assert.That(PciMatch.TryCompile(id, requirePrefix: false, out _, out var error) ? null : error, Is.Not.Null.And.Contains("PCI id"));

    private static HwDevice Device(string name, string? hid, string[] compatible, PciIdentity? pci = null) =>
        new(name, hid, compatible, [], false, pci, ConfigLocation.Unknown);

    [Test]
    public void Io_rules_combine_hid_glob_compatible_and_pci_like_match_cid()
    {
        var uart = Device("uart0", "snps,dw-apb-uart", ["snps,dw-apb-uart", "ns16550a"]);
        var wifi = Device("wifi", null, ["pci168c,003c"], Wifi);
        bool M(MatchKind kind, string pattern, HwDevice d) =>
            new MatchRule(kind, pattern, ConfigLocation.Unknown).TryCompile(out var m, out var e) ? m!.IsMatch(d) : throw new AssertionException(e!);

        Assert.That(M(MatchKind.Io, "snps,*", uart), Is.True, "HID glob");
        Assert.That(M(MatchKind.Io, "ns16550a", uart), Is.True, "compatible id");
        Assert.That(M(MatchKind.Io, "ns1655*", uart), Is.False, "compatible ids are not globbed");
        Assert.That(M(MatchKind.Io, "PCI/network_nw", wifi), Is.True, "PCI id");
        Assert.That(M(MatchKind.Io, "PCI/network_nw", uart), Is.False);
        Assert.That(M(MatchKind.Hid, "*", wifi), Is.False, "a device without HID never matches a HID glob");
        Assert.That(M(MatchKind.Compatible, "pci168c,003c", wifi), Is.True);
        Assert.That(M(MatchKind.Pci, "CC_0280", wifi), Is.True);
        Assert.That(M(MatchKind.Pci, "CC_0280", uart), Is.False);
        Assert.That(M(MatchKind.Name, "uart0", uart), Is.True);
        Assert.That(M(MatchKind.Name, "uart", uart), Is.False);
        Assert.That(new MatchRule(MatchKind.Io, "PCI/BAD", ConfigLocation.Unknown).TryCompile(out _, out var err), Is.False);
        Assert.That(err, Does.Contain("unknown field"));
    }
}
