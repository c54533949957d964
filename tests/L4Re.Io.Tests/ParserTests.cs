using L4Re.Kernel.Abi;
using L4Re.Io.Config;
using L4Re.Io.Hw;
using L4Re.Io.Vbus;

namespace L4Re.Io.Tests;

public class ParserTests
{
    [Test]
    public void The_baikal_example_parses_into_devices_and_vbuses()
    {
        var config = TestConfigs.Baikal;
        Assert.That(config.Devices.Select(d => d.Name), Is.EqualTo(new[]
            { "uart0", "uart1", "gpio0", "watchdog", "gmac0", "gmac1", "sata", "pcie", "wifi" }));
        Assert.That(config.Vbuses.Select(v => v.Name), Is.EqualTo(new[] { "wifi_drv", "openwrt", "platform" }));

        var uart0 = config.Devices[0];
        Assert.That(uart0.Hid, Is.EqualTo("snps,dw-apb-uart"));
        Assert.That(uart0.Compatible, Is.EqualTo(new[] { "snps,dw-apb-uart", "ns16550a" }));
        Assert.That(uart0.Resources[0].Value, Is.EqualTo(Resource.Mmio("reg0", 0x1f04a000, 0x1000)));
        Assert.That(uart0.Resources[1].Value, Is.EqualTo(Resource.Irq("irq0", 48, IrqMode.LevelHigh)));
        Assert.That(uart0.Origin.ToString(), Is.EqualTo("baikal-t1-router.iocfg:7:1"));
        Assert.That(uart0.Resources[1].Origin.Line, Is.EqualTo(11));

        var wifi = config.Devices[^1];
        Assert.That(wifi.DmaCapable, Is.True);
        Assert.That(wifi.Pci, Is.EqualTo(new PciIdentity(0x168c, 0x003c, 0x028000, 0, 0, new PciAddress(0, 1, 0, 0))));
        Assert.That(wifi.Resources[0].Value, Is.EqualTo(Resource.Mmio("bar0", 0x08000000, 0x200000)));
        Assert.That(wifi.Resources[1].Shared, Is.True);

        Assert.That(config.Vbuses[0].Rules.Single(), Is.EqualTo(new MatchRule(MatchKind.Pci, "VEN_168c&DEV_003c", new ConfigLocation("baikal-t1-router.iocfg", 73, 5))));
        Assert.That(config.Vbuses[1].Rules[0].Kind, Is.EqualTo(MatchKind.Name));
    }

    [Test]
    public void The_builder_and_the_text_give_the_same_configuration()
    {
        var built = new IoConfigBuilder("b")
            .Device("uart0", d => d.Hid("snps,dw-apb-uart").Compatible("snps,dw-apb-uart", "ns16550a")
                .Mmio("reg0", 0x1f04a000, 0x1000).Irq("irq0", 48, IrqMode.LevelHigh))
            .Device("wifi", d => d.Compatible("pci168c,003c").Pci(new PciIdentity(0x168c, 0x3c, 0x028000, Address: new PciAddress(0, 1, 0, 0)))
                .Dma().Mmio("bar0", 0x08000000, 0x200000, MemFlags.RW | MemFlags.Prefetchable).Irq("inta", 80, IrqMode.LevelHigh, shared: true))
            .Vbus("wifi_drv", v => v.MatchPci("VEN_168c&DEV_003c"))
            .Vbus("openwrt", v => v.Device("uart0").Match("ns16550a").MatchHid("snps,*").MatchCompatible("x"))
            .Build();
        const string text = """
            device uart0 {
                hid = "snps,dw-apb-uart"; compatible = "snps,dw-apb-uart", "ns16550a"
                mmio reg0 = 0x1f04_a000 .. 0x1f04_afff
                irq irq0 = 48 level-high
            }
            device wifi { compatible = "pci168c,003c"; pci device = 0x3c vendor = 0x168c class = 0x028000 address = "01:00.0"; dma; mmio bar0 = 0x08000000 + 0x200000 prefetchable rw; irq inta = 80 shared level-high }
            vbus wifi_drv { match pci "VEN_168c&DEV_003c" }
            vbus openwrt {
                device uart0
                match "ns16550a"
                match hid "snps,*"
                match compatible "x"
            }
            """;
        Assert.That(TestConfigs.Canonical(IoConfigParser.Parse(text)), Is.EqualTo(TestConfigs.Canonical(built)));
    }

    [Test]
    public void Written_text_parses_back_to_the_same_configuration()
    {
        var config = TestConfigs.Baikal;
        var text = IoConfigWriter.Write(config);
        Assert.That(TestConfigs.Canonical(IoConfigParser.Parse(text)), Is.EqualTo(text));
        Assert.That(IoConfigWriter.Quote("a\"b\\c\n"), Is.EqualTo("\"a\\\"b\\\\c\\n\""));
    }

    [Test]
    public void Empty_text_and_comments_are_an_empty_configuration()
    {
        var c = IoConfigParser.Parse("# nothing\n\n   # at all\n");
        Assert.That(c.Devices, Is.Empty);
        Assert.That(c.Vbuses, Is.Empty);
        Assert.That(IoConfigParser.Parse("vbus empty { }").Vbuses.Single().Rules, Is.Empty);
    }

    [TestCase("devices a {}", ConfigErrorCode.Syntax, 1, 1, "expected 'device' or 'vbus'")]
    [TestCase("device a {\n  mmio reg0 = 0x1000 + 0x1000\n  frob = 1\n}", ConfigErrorCode.Syntax, 3, 3, "unknown device 'a' property 'frob'")]
    [TestCase("device a {\n  hid = \"x\n}", ConfigErrorCode.Syntax, 2, 9, "unterminated string")]
    [TestCase("device a {\n  hid = \"x\\q\"\n}", ConfigErrorCode.Syntax, 2, 11, "unknown escape")]
    [TestCase("device a {\n  hid = 5\n}", ConfigErrorCode.Syntax, 2, 9, "expected a quoted HID")]
    [TestCase("device a {", ConfigErrorCode.Syntax, 1, 11, "missing '}' for device 'a'")]
    [TestCase("device a {\n} x", ConfigErrorCode.Syntax, 2, 3, "end of line after '}'")]
    [TestCase("device {\n}", ConfigErrorCode.Syntax, 1, 8, "expected a device name")]
    [TestCase("device a {\n  mmio reg0 = 0x10 ..\n}", ConfigErrorCode.Syntax, 2, 22, "the last number of the range")]
    [TestCase("device a {\n  mmio reg0 = 0x10 + 0x10 rwx\n}", ConfigErrorCode.Syntax, 2, 27, "unknown mmio option 'rwx'")]
    [TestCase("device a {\n  irq i = 5 level\n}", ConfigErrorCode.Syntax, 2, 13, "unknown irq option 'level'")]
    [TestCase("device a {\n  mmio reg0 = 0x1_0000_0000_0000_0000 + 1\n}", ConfigErrorCode.Syntax, 2, 15, "does not fit in 64 bits")]
    [TestCase("device a {\n  mmio reg0 = 12ab + 1\n}", ConfigErrorCode.Syntax, 2, 15, "malformed number")]
    [TestCase("device a {\n  mmio reg0 = 0x + 1\n}", ConfigErrorCode.Syntax, 2, 15, "malformed number")]
    [TestCase("device a {\n  mmio reg0 = 1 . 2\n}", ConfigErrorCode.Syntax, 2, 17, "a lone '.'")]
    [TestCase("device a {\n  hid = \"x\" \"y\"\n}", ConfigErrorCode.Syntax, 2, 13, "end of line after 'hid'")]
    [TestCase("device a {\n  pci vendor = 1 device = 2 colour = 3\n}", ConfigErrorCode.Syntax, 2, 29, "unknown pci field 'colour'")]
    [TestCase("device a @ {\n}", ConfigErrorCode.Syntax, 1, 10, "unexpected character '@'")]
    [TestCase("vbus v {\n  match frob \"x\"\n}", ConfigErrorCode.Syntax, 2, 9, "expected hid, compatible, pci or a quoted io id")]
    [TestCase("vbus v {\n  claim x\n}", ConfigErrorCode.Syntax, 2, 3, "unknown vbus 'v' statement 'claim'")]
    [TestCase("vbus v {\n  device \"x\"\n}", ConfigErrorCode.Syntax, 2, 10, "a device name after 'device'")]
    [TestCase("device a {\n  mmio toolong = 1 + 1\n}", ConfigErrorCode.InvalidName, 2, 8, "longer than 4 characters")]
    [TestCase("device a {\n  hid = \"x\"\n  hid = \"y\"\n}", ConfigErrorCode.DuplicateProperty, 3, 3, "'hid' is already given at line 2")]
    [TestCase("device a {\n  mmio r = 0x10 + 0\n}", ConfigErrorCode.InvalidValue, 2, 19, "zero or wraps")]
    [TestCase("device a {\n  mmio r = 0xffffffffffffffff + 2\n}", ConfigErrorCode.InvalidValue, 2, 33, "zero or wraps")]
    [TestCase("device a {\n  irq i = 5 level-high edge-rising\n}", ConfigErrorCode.DuplicateProperty, 2, 24, "irq mode is given twice")]
    [TestCase("device a {\n  irq i = 0x100000000\n}", ConfigErrorCode.InvalidValue, 2, 11, "exceeds 32 bits")]
    [TestCase("device a {\n  pci vendor = 0x10000 device = 1\n}", ConfigErrorCode.InvalidValue, 2, 16, "pci vendor 0x10000 exceeds 0xffff")]
    [TestCase("device a {\n  pci device = 1\n}", ConfigErrorCode.InvalidValue, 2, 3, "pci needs a vendor id")]
    [TestCase("device a {\n  pci vendor = 1 device = 2 address = \"zz\"\n}", ConfigErrorCode.InvalidValue, 2, 39, "pci address \"zz\"")]
    public void Malformed_text_fails_with_the_location(string text, ConfigErrorCode code, int line, int column, string message)
    {
        var e = Assert.Throws<IoConfigException>(() => IoConfigParser.Parse(text, "t.cfg"))!;
        var error = e.Errors[^1];
        Assert.That(error.Code, Is.EqualTo(code), e.Message);
        Assert.That((error.Location.Line, error.Location.Column), Is.EqualTo((line, column)), e.Message);
        Assert.That(error.Message, Does.Contain(message));
        Assert.That(error.Location.Source, Is.EqualTo("t.cfg"));
        Assert.That(e.Message, Does.StartWith($"t.cfg:{line}:{column}").Or.Contain($"t.cfg:{line}:{column}"));
    }

    [Test]
    public void Several_value_errors_are_reported_in_one_run()
    {
        var e = Assert.Throws<IoConfigException>(() => IoConfigParser.Parse("""
            device a {
                hid = "x"
                hid = "y"
                mmio toolong = 1 + 1
                irq i = 1 level-high level-low
            }
            """))!;
        Assert.That(e.Errors.Select(x => x.Location.Line), Is.EqualTo(new[] { 3, 4, 5 }));
    }

    [Test]
    public void Oversized_text_is_refused_with_a_config_error()
    {
        var e = Assert.Throws<IoConfigException>(() => IoConfigParser.Parse(new string('#', IoConfigParser.MaxLength + 1)))!;
        Assert.That(e.Errors.Single().Code, Is.EqualTo(ConfigErrorCode.Syntax));
    }

    [Test]
    public void TryParse_reports_instead_of_throwing()
    {
        Assert.That(IoConfigParser.TryParse("device", "x", out var c, out var errors), Is.False);
        Assert.That(c, Is.Null);
        Assert.That(errors.Single().Location.ToString(), Is.EqualTo("x:1:7"));
        Assert.That(IoConfigParser.TryParse("", "x", out c, out errors), Is.True);
        Assert.That(errors, Is.Empty);
    }
}
