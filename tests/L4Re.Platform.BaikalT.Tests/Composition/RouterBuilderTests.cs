using L4Re.Platform.BaikalT.Composition;
using L4Re.Platform.BaikalT.Guest;

namespace L4Re.Platform.BaikalT.Tests.Composition;

public class RouterBuilderTests
{
    private static RouterConfigurationException Fails(RouterBuilder b) => Assert.Throws<RouterConfigurationException>(() => b.Build())!;

    [TestCase("XX", "not in the regulatory database")]
    [TestCase("usa", "not an ISO 3166 alpha2 code")]
    [TestCase("", "not an ISO 3166 alpha2 code")]
    public void Unknown_countries_are_refused(string country, string message) =>
        Assert.That(Fails(TestRouters.Builder().WithCountry(country)).Errors, Has.Some.Contains(message));

    [TestCase(0L)]
    [TestCase((1L << 20) + 4096)]
    [TestCase(1_500_000L)]
    [TestCase(512L << 20)]
    public void Vm_memory_must_fit_the_high_dram(long bytes) =>
        Assert.That(Fails(TestRouters.Builder().WithVmMemory(bytes)).Errors, Has.Some.Contains("VM memory"));

    [Test]
    public void Every_problem_is_reported_at_once()
    {
        var e = Fails(TestRouters.Builder()
            .WithCountry("ZZ")
            .WithoutVm()
            .WithGuestScript([new GuestStep.Print("x")])
            .WithRadar(900, TimeSpan.FromSeconds(-1))
            .WithStation([], TimeSpan.Zero)
            .WithPriorities(10, 30)
            .WithPcap("/nonexistent-dir-for-the-test/x.pcap")
            .WithKernelOptions(new L4Re.Kernel.KernelOptions { IcuPins = 32 }));
        Assert.That(e.Errors, Has.Count.EqualTo(8), string.Join("\n", e.Errors));
        Assert.That(e.Message, Does.StartWith("invalid router configuration: "));
    }

    [Test]
    public void Guest_texts_the_program_cannot_carry_are_refused() =>
        Assert.That(Fails(TestRouters.Builder().WithGuestScript([new GuestStep.Radio("set; rm -rf")])).Errors, Has.Some.Contains("cannot carry"));

    [Test]
    public void Image_and_script_exclude_each_other()
    {
        var image = new L4Re.Platform.BaikalT.Vm.BareMetalGuestImage(RadioGuestProgram.Build([]));
        Assert.That(Fails(TestRouters.Builder().WithGuest(image).WithGuestScript([])).Errors, Has.Some.Contains("either a guest image or a guest script"));
    }

    [Test]
    public void Defaults_build_a_router_with_both_sides()
    {
        using var router = TestRouters.Builder().Build();
        Assert.Multiple(() =>
        {
            Assert.That(router.Wifi.Ready, Is.True);
            Assert.That(router.Vmm, Is.Not.Null);
            Assert.That(router.Monitor, Is.Null, "no pcap unless asked");
            Assert.That(router.Switch.Ports.Select(p => p.Name), Is.EquivalentTo(new[] { "wifi", "openwrt" }));
            Assert.That(router.Wifi.Gate!.Country.Alpha2, Is.EqualTo("US"));
            Assert.That(router.DmaMode, Is.EqualTo(L4Re.Io.Dma.DmaMode.Iommu));
        });
    }
}
