using L4Re.Platform.BaikalT.Vm;

namespace L4Re.Platform.BaikalT.Tests.Vm;

public class RadioLineProtocolTests
{
    [TestCase("info", "info country US (DFS-FCC), up to 160 MHz")]
    [TestCase("set 5180 20 17 ap", "accept 5180/20 MHz TX 17.00 dBm EIRP 20.00 dBm (limit 23 dBm)")]
    [TestCase("set 5180 20 17.5 ap gain 5", "accept 5180/20 MHz TX 17.50 dBm EIRP 22.50 dBm")]
    [TestCase("set 5180 20 30 ap", "clamp 5180/20 MHz TX 20.00 dBm")]
    [TestCase("set 5180 80 17 sta center 5210", "accept 5180/80 MHz")]
    [TestCase("set 5260 20 17 ap", "refuse 5260/20 MHz: DFS: channel availability check not completed")]
    [TestCase("set 5180 20 17 ap outdoor", "accept")]
    [TestCase("cac 5260 20", "cac started on 5260/20 MHz, ends at 60.")]
    [TestCase("cac 5180 20", "cac not started: NotRequired")]
    [TestCase("country DE", "refuse country DE: the country is fixed by the trusted side")]
    [TestCase("off", "off")]
    [TestCase("status", "status US: radio off; accepted 0, clamped 0, refused 0")]
    [TestCase("", "error: empty request")]
    [TestCase("reboot", "error: unknown request 'reboot'")]
    [TestCase("set 5180", "error: set FREQ WIDTH TXDBM MODE")]
    [TestCase("set 5180 20 17 router", "error: mode 'router' is not ap, sta, mesh or ibss")]
    [TestCase("set -5 20 17 ap", "error: '-5' is not a frequency in MHz")]
    [TestCase("set 5180 20 1e9 ap", "error: '1e9' is not a TX power in dB")]
    [TestCase("set 5180 20 17 ap gain", "error: unexpected 'gain'")]
    [TestCase("cac 5260", "error: cac FREQ WIDTH [center FREQ]")]
    [TestCase("set 5180 99999999999999999999 17 ap", "error: '9999999999999999...' is not a width")]
    public void Requests_and_replies(string line, string reply)
    {
        using var router = TestRouters.TrustedOnly();
        var text = RadioLineProtocol.Handle(router.CreateRadioClient("vmm"), line);
        Assert.That(text, Does.StartWith(reply));
    }

    [Test]
    public void A_client_without_w_gets_the_components_error()
    {
        using var router = TestRouters.TrustedOnly();
        var text = RadioLineProtocol.Handle(router.CreateRadioClient("ro", L4Re.Kernel.Abi.CapRights.R), "set 5180 20 17 ap");
        Assert.That(text, Is.EqualTo("error: the radio component answered Perm"));
    }

    [Test]
    public void A_dead_component_is_reported_not_thrown()
    {
        using var router = TestRouters.TrustedOnly();
        var vmm = router.CreateRadioClient("vmm");
        var client = new L4Re.Platform.BaikalT.Trusted.RadioClient(vmm.Thread, L4Re.Kernel.Abi.CapSel.FromIndex(0x99)); // an empty slot
        Assert.That(RadioLineProtocol.Handle(client, "status"), Is.EqualTo("error: the radio component does not answer"));
    }
}
