using L4Re.Kernel.Abi;
using L4Re.Io.Config;
using L4Re.Io.Hw;

namespace L4Re.Io.Tests;

public class HwRegistryTests
{
    private static HwDevice Uart(string name, ulong addr, uint irq, bool shared = false, IrqMode mode = IrqMode.LevelHigh) =>
        new HwDeviceBuilder(name).Hid("snps,dw-apb-uart").Compatible("snps,dw-apb-uart", "ns16550a")
            .Mmio("reg0", addr, 0x1000).Irq("irq0", irq, mode, shared).Build();

    private static IReadOnlyList<ConfigError> Errors(params HwDevice[] devices) =>
        Assert.Throws<IoConfigException>(() => HwRegistry.Create(devices))!.Errors;

    [Test]
    public void Accepts_disjoint_devices_and_finds_them_by_name()
    {
        var reg = HwRegistry.Create([Uart("uart0", 0x1f04a000, 48), Uart("uart1", 0x1f04b000, 49)]);
        Assert.That(reg.Devices, Has.Count.EqualTo(2));
        Assert.That(reg.Find("uart1")!.Resources[1].Value.Start, Is.EqualTo(49UL));
        Assert.That(reg.Find("nope"), Is.Null);
    }

    [Test]
    public void Overlapping_mmio_regions_are_an_error_naming_both_devices()
    {
        var errors = Errors(Uart("uart0", 0x1f04a000, 48), Uart("uart1", 0x1f04a800, 49));
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Code, Is.EqualTo(ConfigErrorCode.OverlappingRegion));
        Assert.That(errors[0].Message, Does.Contain("uart1").And.Contain("uart0").And.Contain("0x1f04a800"));
        Assert.That(errors[0].Location.Path, Does.Contain("uart1"));
    }

    [Test]
    public void Overlapping_regions_inside_one_device_are_an_error()
    {
        var d = new HwDeviceBuilder("d").Mmio("a", 0x1000, 0x1000).Mmio("b", 0x1fff, 0x10).Build();
        Assert.That(Errors(d).Single().Code, Is.EqualTo(ConfigErrorCode.OverlappingRegion));
    }

    [Test]
    public void An_exclusive_irq_used_twice_is_an_error()
    {
        var errors = Errors(Uart("uart0", 0x1f04a000, 48), Uart("uart1", 0x1f04b000, 48));
        Assert.That(errors.Single().Code, Is.EqualTo(ConfigErrorCode.DuplicateIrq));
        Assert.That(errors[0].Message, Does.Contain("exclusive"));
    }

    [Test]
    public void Shared_irqs_need_the_same_mode_on_every_use()
    {
        Assert.DoesNotThrow(() => HwRegistry.Create([Uart("a", 0x1000, 80, shared: true), Uart("b", 0x2000, 80, shared: true)]));
        var errors = Errors(Uart("a", 0x1000, 80, shared: true), Uart("b", 0x2000, 80, shared: true, mode: IrqMode.LevelLow));
        Assert.That(errors.Single().Code, Is.EqualTo(ConfigErrorCode.DuplicateIrq));
        Assert.That(errors[0].Message, Does.Contain("different mode"));
        Assert.That(Errors(Uart("a", 0x1000, 80, shared: true), Uart("b", 0x2000, 80)).Single().Code, Is.EqualTo(ConfigErrorCode.DuplicateIrq));
    }

    [Test]
    public void Duplicate_names_and_resource_ids_are_errors()
    {
        Assert.That(Errors(Uart("u", 0x1000, 1), Uart("u", 0x2000, 2)).Single().Code, Is.EqualTo(ConfigErrorCode.DuplicateDevice));
        var d = new HwDeviceBuilder("d").Mmio("reg", 0x1000, 0x10).Irq("reg", 5).Build();
        Assert.That(Errors(d).Single().Code, Is.EqualTo(ConfigErrorCode.DuplicateResource));
    }

    [Test]
    public void Invalid_values_are_reported_all_at_once()
    {
        var bad = new HwDeviceBuilder("9bad").Hid("")
            .AddResource(new Resource(ResourceType.Mem, 0x8000, 0x1000, 0x1fff, ResourceId.FromName("m")))
            .AddResource(new Resource(ResourceType.Irq, 2, 5, 5, ResourceId.FromName("i")))
            .AddResource(Resource.DmaDomain(1))
            .AddResource(new Resource(ResourceType.Port, 0, 10, 5, ResourceId.FromName("p")))
            .AddResource(Resource.Gpio("g", 1, 2), shared: true)
            .Pci(new PciIdentity(1, 2, ClassCode: 0x1000000))
            .Build();
        var errors = Errors(bad);
        Assert.That(errors.Select(e => e.Code), Is.EquivalentTo(new[]
        {
            ConfigErrorCode.InvalidName, ConfigErrorCode.InvalidValue, ConfigErrorCode.InvalidValue, ConfigErrorCode.InvalidValue,
            ConfigErrorCode.InvalidValue, ConfigErrorCode.InvalidValue, ConfigErrorCode.InvalidValue, ConfigErrorCode.InvalidValue,
        }));
    }

    [Test]
    public void A_failed_addition_leaves_the_registry_unchanged()
    {
        var reg = HwRegistry.Create([Uart("uart0", 0x1f04a000, 48)]);
        var errors = new List<ConfigError>();
        var after = reg.TryAdd([Uart("uart1", 0x1f04b000, 49), Uart("uart2", 0x1f04a000, 50)], errors);
        Assert.That(after, Is.SameAs(reg));
        Assert.That(reg.Devices.Select(d => d.Name), Is.EqualTo(new[] { "uart0" }));
        Assert.That(reg.Find("uart1"), Is.Null);
        Assert.That(errors.Single().Code, Is.EqualTo(ConfigErrorCode.OverlappingRegion));
    }

    [Test]
    public void Existing_conflicts_are_not_reported_again_and_new_ones_are_found()
    {
        var reg = HwRegistry.Create([Uart("uart0", 0x1f04a000, 48), Uart("uart1", 0x1f04b000, 49)]);
        var errors = new List<ConfigError>();
        reg.TryAdd([Uart("uart2", 0x1f04b000, 50)], errors);
        Assert.That(errors.Single().Message, Does.Contain("uart2").And.Contain("uart1"));
    }
}
