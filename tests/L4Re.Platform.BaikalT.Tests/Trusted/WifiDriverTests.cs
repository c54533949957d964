using L4Re.Io.Dma;
using L4Re.Kernel.Abi;
using L4Re.Platform.BaikalT.Trusted;
using L4Re.Platform.BaikalT.Wifi;
using L4Re.Regulatory.Dfs;
using L4Re.Regulatory.Gate;
using R = L4Re.Platform.BaikalT.Wifi.WifiNicRegisters;

namespace L4Re.Platform.BaikalT.Tests.Trusted;

public class WifiDriverTests
{
    [TestCase(true)]
    [TestCase(false)]
    public void The_component_takes_the_nic_through_its_vbus_and_locks_the_country(bool iommu)
    {
        using var router = TestRouters.TrustedOnly(iommu);
        var nic = router.Board.Nic;
        Assert.Multiple(() =>
        {
            Assert.That(router.Wifi.Ready, Is.True, router.Wifi.InitError);
            Assert.That(router.Wifi.DmaMode, Is.EqualTo(iommu ? DmaMode.Iommu : DmaMode.CpuPhys));
            Assert.That(router.Wifi.DmaBase, Is.EqualTo(iommu ? WifiDriverSetup.DmaIova : 0x0100_0000UL));
            Assert.That(nic.State.Country, Is.EqualTo("US"));
            Assert.That(nic.State.Regdomain & R.RegdomainLock, Is.Not.Zero);
            Assert.That(nic.State.Enabled, Is.False, "radio off until a request is granted");
            Assert.That(nic.Reg(R.IntMask), Is.EqualTo(R.IntAll));
            Assert.That(router.WifiTask.Memory.TryTranslate(WifiDriverSetup.NicVa, out _), Is.True, "BAR0 mapped through the vbus");
            Assert.That(router.Kernel.Icu.BoundTo(80), Is.Not.Null, "IRQ bound through the vbus ICU");
        });
    }

    [Test]
    public void Accepted_and_clamped_requests_program_exactly_what_was_granted()
    {
        using var router = TestRouters.TrustedOnly();
        var c = router.CreateRadioClient("openwrt");
        Assert.That(c.Configure(RadioRequest.ForFrequency(5180, 80, 17), out var d), Is.EqualTo(L4Error.Ok));
        Assert.That(d.Verdict, Is.EqualTo(GateVerdict.Accept));
        var s = router.Board.Nic.State;
        Assert.That((s.Transmitting, s.ControlKhz, s.CenterKhz, s.WidthMhz, s.TxPowerMbm, s.AntennaGainMbi, s.Mode),
            Is.EqualTo((true, 5_180_000u, 5_210_000u, 80, 1700, 300, NicMode.AccessPoint)));
        Assert.That(c.Configure(RadioRequest.ForFrequency(5180, 20, 30), out d), Is.EqualTo(L4Error.Ok));
        Assert.That(d.Verdict, Is.EqualTo(GateVerdict.Clamp));
        Assert.That(router.Board.Nic.State.TxPowerMbm, Is.EqualTo(d.TxPowerMbm).And.EqualTo(2000));
    }

    [Test]
    public void A_refused_request_leaves_the_radio_as_it_was()
    {
        using var router = TestRouters.TrustedOnly();
        var c = router.CreateRadioClient("openwrt");
        c.Configure(RadioRequest.ForFrequency(5180, 40, 15), out _);
        var before = router.Board.Nic.State;
        foreach (var bad in new[] { RadioRequest.ForFrequency(5260, 20, 10), RadioRequest.ForFrequency(2484, 20, 10), RadioRequest.ForFrequency(5180, 35, 10), RadioRequest.ForFrequency(5865, 20, 10) })
        {
            Assert.That(c.Configure(bad, out var d), Is.EqualTo(L4Error.Ok));
            Assert.That(d.Verdict, Is.EqualTo(GateVerdict.Refuse), d.ToString());
            Assert.That(router.Board.Nic.State, Is.EqualTo(before));
        }
    }

    [Test]
    public void The_country_cannot_be_changed_from_outside()
    {
        using var router = TestRouters.TrustedOnly();
        var c = router.CreateRadioClient("openwrt");
        Assert.That(c.SetCountry("DE", out var d), Is.EqualTo(L4Error.Ok));
        Assert.That((d.Verdict, d.Reason), Is.EqualTo((GateVerdict.Refuse, GateReason.CountryFixed)));
        Assert.That(c.Info(out var info), Is.EqualTo(L4Error.Ok));
        Assert.That(info.Country, Is.EqualTo("US"));
        Assert.That(router.Board.Nic.State.Country, Is.EqualTo("US"));
    }

    [Test]
    public void Bad_ipc_input_gets_the_l4_error_codes_and_the_component_keeps_serving()
    {
        using var router = TestRouters.TrustedOnly();
        var ro = router.CreateRadioClient("ro", CapRights.R);
        var rw = router.CreateRadioClient("rw");
        var u = rw.Thread.Utcb;
        Assert.Multiple(() =>
        {
            Assert.That(rw.Raw(new MsgTag(7, 1, 0, 0)).ResultError, Is.EqualTo(L4Error.BadProto));
            Assert.That(rw.Raw(new MsgTag(RadioProtocol.Label, 0, 0, 0)).ResultError, Is.EqualTo(L4Error.MsgTooShort));
            u.Mr[0] = 0x1_0000_0000;
            Assert.That(rw.Raw(new MsgTag(RadioProtocol.Label, 1, 0, 0)).ResultError, Is.EqualTo(L4Error.NoSys));
            RadioProtocol.SetConfig(u, RadioRequest.ForFrequency(5180, 20, 10));
            Assert.That(rw.Raw(new MsgTag(RadioProtocol.Label, 7, 0, 0)).ResultError, Is.EqualTo(L4Error.MsgTooShort));
            RadioProtocol.SetConfig(u, RadioRequest.ForFrequency(5180, 20, 10));
            u.Mr[1] = 1UL << 40;
            Assert.That(rw.Raw(new MsgTag(RadioProtocol.Label, 8, 0, 0)).ResultError, Is.EqualTo(L4Error.Inval), "frequency beyond 32 bits");
            RadioProtocol.SetConfig(u, RadioRequest.ForFrequency(5180, 20, 10));
            u.Mr[7] = 2;
            Assert.That(rw.Raw(new MsgTag(RadioProtocol.Label, 8, 0, 0)).ResultError, Is.EqualTo(L4Error.Inval), "unknown flag");
            RadioProtocol.SetConfig(u, RadioRequest.ForFrequency(5180, 20, 10));
            u.Mr[6] = 300;
            Assert.That(rw.Raw(new MsgTag(RadioProtocol.Label, 8, 0, 0)).ResultError, Is.EqualTo(L4Error.Inval), "mode beyond a byte");
            RadioProtocol.StartCac(u, 5_260_000, 20);
            u.Mr[2] = unchecked((ulong)long.MinValue);
            Assert.That(rw.Raw(new MsgTag(RadioProtocol.Label, 4, 0, 0)).ResultError, Is.EqualTo(L4Error.Inval));
            Assert.That(ro.Configure(RadioRequest.ForFrequency(5180, 20, 10), out _), Is.EqualTo(L4Error.Perm));
            Assert.That(ro.StartCac(5_260_000, 20, 0, out _, out _), Is.EqualTo(L4Error.Perm));
            Assert.That(ro.Off(), Is.EqualTo(L4Error.Perm));
            Assert.That(ro.Status(out _), Is.EqualTo(L4Error.Ok), "reading needs no W");
        });
        Assert.That(router.Wifi.ProtocolErrors, Is.EqualTo(11));
        Assert.That(router.Board.Nic.State.Enabled, Is.False, "nothing reached the radio");
        Assert.That(rw.Configure(RadioRequest.ForFrequency(5180, 20, 10), out var d), Is.EqualTo(L4Error.Ok));
        Assert.That(d.Verdict, Is.EqualTo(GateVerdict.Accept));
    }

    [Test]
    public void A_dfs_channel_needs_a_cac_on_the_virtual_clock_and_radar_blocks_it_and_moves_the_radio()
    {
        using var router = TestRouters.TrustedOnly();
        var k = router.Kernel;
        var c = router.CreateRadioClient("openwrt");
        c.Configure(RadioRequest.ForFrequency(5180, 20, 15), out _);
        Assert.That(c.Configure(RadioRequest.ForFrequency(5260, 20, 15), out var d), Is.EqualTo(L4Error.Ok));
        Assert.That(d.Reason, Is.EqualTo(GateReason.CacRequired));

        Assert.That(c.StartCac(5_260_000, 20, 0, out var started, out var ends), Is.EqualTo(L4Error.Ok));
        Assert.That(started, Is.EqualTo(CacStartResult.Started));
        Assert.That(ends - k.Now, Is.EqualTo(60_000_000_000L).Within(1_000_000));
        var nic = router.Board.Nic.State;
        Assert.That((nic.Enabled, nic.TxEnabled, nic.RadarDetect, nic.ControlKhz), Is.EqualTo((true, false, true, 5_260_000u)), "listening on the channel under test");
        Assert.That(c.StartCac(5_280_000, 20, 0, out var busy, out _), Is.EqualTo(L4Error.Ok));
        Assert.That(busy, Is.EqualTo(CacStartResult.Busy));

        k.Run(ends - 1_000_000_000);
        Assert.That(c.Configure(RadioRequest.ForFrequency(5260, 20, 15), out d), Is.EqualTo(L4Error.Ok));
        Assert.That(d.Reason, Is.EqualTo(GateReason.CacRequired), "one second before the end");
        k.Run(ends + 500_000_000); // the component wakes at the CAC's end on its own
        Assert.That(router.Wifi.Events.Select(e => e.What), Has.Some.Contains("passed"));
        k.Run(k.Now + 10_000_000_000L); // a CAC result in use does not expire (cfg80211 would drop an unused one after 2 s)
        Assert.That(c.Configure(RadioRequest.ForFrequency(5260, 20, 15), out d), Is.EqualTo(L4Error.Ok));
        Assert.That(d.Verdict, Is.EqualTo(GateVerdict.Accept), d.ToString());
        Assert.That(router.Board.Nic.State.Transmitting, Is.True);

        Assert.That(router.Board.Nic.RadarPulse(5_260_000), Is.True);
        k.Run(k.Now + 1_000_000); // the IRQ reaches the component, which handles it at once
        var after = router.Board.Nic.State;
        Assert.That(after.ControlKhz, Is.EqualTo(5_180_000u), "moved back to the last channel without radar");
        Assert.That(router.Wifi.RadarEvents, Is.EqualTo(1));
        Assert.That(router.Wifi.Gate!.Dfs.StateOf(5_260_000), Is.EqualTo(DfsState.Unavailable));
        Assert.That(c.Configure(RadioRequest.ForFrequency(5260, 20, 15), out d), Is.EqualTo(L4Error.Ok));
        Assert.That(d.Reason, Is.EqualTo(GateReason.RadarNonOccupancy));
        Assert.That(c.Status(out var st), Is.EqualTo(L4Error.Ok));
        Assert.That(st.RadarKhz, Is.EqualTo(5_260_000u));
        Assert.That(st.RadarBlockedUntilNs - k.Now, Is.EqualTo(30 * 60 * 1_000_000_000L).Within(1_000_000));
        k.AdvanceTime(31L * 60 * 1_000_000_000);
        Assert.That(router.Wifi.Gate.Dfs.StateOf(5_260_000), Is.EqualTo(DfsState.Usable), "non-occupancy over: usable again, CAC needed");
    }

    [Test]
    public void Radio_off_stops_transmitting()
    {
        using var router = TestRouters.TrustedOnly();
        var c = router.CreateRadioClient("openwrt");
        c.Configure(RadioRequest.ForFrequency(2412, 20, 15), out _);
        Assert.That(router.Board.Nic.State.Transmitting, Is.True);
        Assert.That(c.Off(), Is.EqualTo(L4Error.Ok));
        Assert.That(router.Board.Nic.State.Enabled, Is.False);
    }
}
