using L4Re.Io.Config;

namespace L4Re.Io.Tests;

public class LoadTests
{
    private const string Hardware = """
        device uart0 {
            hid = "snps,dw-apb-uart"
            mmio reg0 = 0x1f04a000 + 0x1000
            irq  irq0 = 48 level-high
        }
        device uart1 {
            hid = "snps,dw-apb-uart"
            mmio reg0 = 0x1f04b000 + 0x1000
            irq  irq0 = 49 level-high
        }
        """;

    /// <summary>Everything an observer of the server can see, as text.</summary>
    private static string Snapshot(IoServer io) =>
        string.Join(";", io.Hardware.Devices.Select(d => d.Name)) + "|" +
        string.Join(";", io.Vbuses.Select(v => v.Name + ":" + string.Join(",", v.Devices.Select(d => d.Name)))) + "|" +
        string.Join(";", io.Hardware.Devices.Select(d => io.OwnerOf(d.Name)?.Name ?? "-"));

    private static ConfigError LoadFails(IoServer io, string text, ConfigErrorCode code)
    {
        var before = Snapshot(io);
        var e = Assert.Throws<IoConfigException>(() => io.LoadText(text, "t.cfg"))!;
        Assert.That(Snapshot(io), Is.EqualTo(before), "a failed load changes nothing");
        var error = e.Errors.FirstOrDefault(x => x.Code == code);
        Assert.That(error, Is.Not.Null, e.Message);
        return error!;
    }

    [Test]
    public void A_device_claimed_by_two_vbuses_is_an_error_at_the_second_claim_naming_the_first()
    {
        var io = new IoServer();
        var error = LoadFails(io, Hardware + """

            vbus a {
                device uart0
            }
            vbus b {
                match hid "snps,*"
            }
            """, ConfigErrorCode.DuplicateClaim);
        Assert.That(error.Location.ToString(), Is.EqualTo("t.cfg:15:5"));
        Assert.That(error.Message, Does.Contain("device 'uart0'").And.Contain("vbus 'a' at t.cfg:12:5"));
    }

    [Test]
    public void Claims_are_checked_against_vbuses_of_earlier_loads()
    {
        var io = new IoServer();
        io.LoadText(Hardware + "\nvbus a { device uart1 }", "hw.cfg");
        var error = LoadFails(io, "vbus b {\n    match hid \"snps,dw-apb-uart\"\n}", ConfigErrorCode.DuplicateClaim);
        Assert.That(error.Location.ToString(), Is.EqualTo("t.cfg:2:5"));
        Assert.That(error.Message, Does.Contain("vbus 'a' at hw.cfg:"));
    }

    [Test]
    public void Overlapping_regions_are_an_error_at_the_second_region()
    {
        var io = new IoServer();
        io.LoadText(Hardware);
        var error = LoadFails(io, "device evil {\n  mmio reg0 = 0x1f04b800 + 0x1000\n}", ConfigErrorCode.OverlappingRegion);
        Assert.That(error.Location.ToString(), Is.EqualTo("t.cfg:2:3"));
        Assert.That(error.Message, Does.Contain("evil").And.Contain("uart1"));
    }

    [Test]
    public void Unknown_hids_compatibles_pci_ids_and_names_are_errors_at_the_rule()
    {
        var io = new IoServer();
        io.LoadText(Hardware);
        var e = Assert.Throws<IoConfigException>(() => io.LoadText("""
            vbus v {
                match hid "snps,dw-apb-uart2"
                match compatible "ns16550a"
                match pci "VEN_168c"
                device wifi
                match "nothing"
            }
            """, "t.cfg"))!;
        Assert.That(e.Errors.Select(x => (x.Code, x.Location.Line)), Is.EqualTo(new[]
        {
            (ConfigErrorCode.UnknownDevice, 2), (ConfigErrorCode.UnknownDevice, 3), (ConfigErrorCode.UnknownDevice, 4),
            (ConfigErrorCode.UnknownDevice, 5), (ConfigErrorCode.UnknownDevice, 6),
        }));
        Assert.That(e.Errors[0].Message, Does.Contain("unknown HID"));
        Assert.That(io.Vbuses, Is.Empty);
    }

    [Test]
    public void Malformed_patterns_duplicate_vbuses_and_duplicate_devices_are_errors()
    {
        var io = new IoServer();
        io.LoadText(Hardware + "\nvbus a { device uart0 }");
        Assert.That(LoadFails(io, "vbus b {\n match hid \"snps,[\"\n}", ConfigErrorCode.InvalidMatch).Location.Line, Is.EqualTo(2));
        Assert.That(LoadFails(io, "vbus b {\n match pci \"VEN_1\"\n}", ConfigErrorCode.InvalidMatch).Message, Does.Contain("exactly 4 hex digits"));
        Assert.That(LoadFails(io, "vbus a {\n}", ConfigErrorCode.DuplicateVbus).Message, Does.Contain("already defined at t.cfg").Or.Contain("already defined at config"));
        Assert.That(LoadFails(io, "device uart0 {\n}", ConfigErrorCode.DuplicateDevice).Message, Does.Contain("already defined"));
    }

    [Test]
    public void A_bad_configuration_is_not_half_applied()
    {
        var io = new IoServer();
        io.Load(TestConfigs.Baikal);
        // A valid new device and vbus, followed by one conflicting claim: nothing of it may land.
        LoadFails(io, """
            device extra {
                compatible = "acme,extra"
                mmio reg0 = 0x30000000 + 0x1000
            }
            vbus extra_bus {
                match compatible "acme,extra"
            }
            vbus thief {
                device uart1
            }
            """, ConfigErrorCode.DuplicateClaim);
        Assert.That(io.Hardware.Find("extra"), Is.Null);
        Assert.That(io.FindVbus("extra_bus"), Is.Null);
        Assert.That(io.OwnerOf("uart1")!.Name, Is.EqualTo("openwrt"));
    }

    [Test]
    public void One_bad_device_does_not_make_the_rules_naming_it_unknown()
    {
        var io = new IoServer();
        var e = Assert.Throws<IoConfigException>(() => io.LoadText("""
            device a {
                mmio reg0 = 0x1000 + 0x1000
                mmio reg1 = 0x1800 + 0x1000
            }
            vbus v { device a }
            """))!;
        Assert.That(e.Errors.Select(x => x.Code), Is.EqualTo(new[] { ConfigErrorCode.OverlappingRegion }));
    }

    [Test]
    public void Builder_errors_carry_the_builder_path()
    {
        var io = new IoServer();
        var config = new IoConfigBuilder("board")
            .Device("uart0", d => d.Hid("u").Mmio("reg0", 0x1000, 0x1000))
            .Vbus("a", v => v.MatchHid("u"))
            .Vbus("b", v => v.MatchHid("u*"))
            .Build();
        var e = Assert.Throws<IoConfigException>(() => io.Load(config))!;
        Assert.That(e.Errors.Single().Location.ToString(), Is.EqualTo("board: vbus 'b' match hid \"u*\""));
        Assert.That(e.Errors[0].Message, Does.Contain("board: vbus 'a' match hid \"u\""));
    }

    [Test]
    public void Configurations_can_be_split_like_io_files()
    {
        var io = new IoServer();
        io.LoadText(Hardware, "hw_devices.cfg");
        Assert.That(io.Vbuses, Is.Empty);
        io.LoadText("vbus a { device uart0 }\nvbus b { device uart1 }", "vbus.cfg");
        Assert.That(io.Vbuses.Select(v => v.Name), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void A_window_on_ram_is_refused_and_a_platform_register_file_is_used()
    {
        var kernel = new L4Re.Kernel.Microkernel();
        var ram = new L4Re.Kernel.Memory.Dataspace(0x1000, "ram");
        kernel.PhysicalMemory.Add(ram, 0x1f04b000);
        var regs = new L4Re.Kernel.Memory.Dataspace(0x1000, "uart0-regs");
        kernel.PhysicalMemory.Add(regs, 0x1f04a000, L4Re.Kernel.Memory.PhysicalMemoryKind.IoMemory);
        var io = new IoServer(kernel);
        var error = LoadFails(io, "device big {\n mmio reg0 = 0x1f04b000 + 0x2000\n}\nvbus v { device big }", ConfigErrorCode.OverlappingRegion);
        Assert.That(error.Location.ToString(), Is.EqualTo("t.cfg:2:2"));
        Assert.That(error.Message, Does.Contain("overlaps RAM").And.Contain("ram"));
        LoadFails(io, "device whole {\n mmio reg0 = 0x1f04b000 + 0x1000\n}\nvbus v { device whole }", ConfigErrorCode.OverlappingRegion);
        Assert.That(io.PhysicalMemory.Regions, Has.Count.EqualTo(2), "nothing placed");

        // A window that lies in a region the platform placed (the device's register file) uses it.
        Assert.That(kernel.PhysicalMemory.Remove(ram), Is.True, "the RAM under uart1 goes away");
        io.LoadText(Hardware + "\nvbus v { device uart0 }", "hw.cfg");
        Assert.That(io.GetDeviceMemory("uart0", "reg0", out var ds, out var offset), Is.EqualTo(L4Re.Kernel.Abi.L4Error.Ok));
        Assert.That((ds, offset), Is.EqualTo((regs, 0L)));
        Assert.That(io.GetDeviceMemory("uart0", "nope", out _, out _), Is.EqualTo(L4Re.Kernel.Abi.L4Error.NoEnt));
    }
}
