using FsCheck;
using FsCheck.Fluent;
using L4Re.Platform.BaikalT.Wifi;
using L4Re.Uvmm.Vmm;
using R = L4Re.Platform.BaikalT.Wifi.WifiNicRegisters;

namespace L4Re.Platform.BaikalT.Tests.Devices;

public class WifiNicTests
{
    [Test]
    public void Reset_state_is_id_only_radio_off()
    {
        var r = new NicRig();
        Assert.Multiple(() =>
        {
            Assert.That(r.R(R.Id), Is.EqualTo(R.IdValue));
            Assert.That(r.R(R.Ctrl), Is.Zero);
            Assert.That(r.R(R.Status), Is.Zero);
            Assert.That(r.Nic.State.Enabled, Is.False);
            Assert.That(r.Nic.State.ToString(), Is.EqualTo("radio off"));
        });
    }

    [Test]
    public void The_nic_takes_any_channel_and_power_it_is_given()
    {
        // 5 GHz channel 165 at 80 MHz, 40 dBm: illegal nearly everywhere, and the NIC does not care.
        var r = new NicRig();
        r.Tune(5_825_000, 80, 4000, R.CtrlEnable | R.CtrlTxEnable);
        var s = r.Nic.State;
        Assert.Multiple(() =>
        {
            Assert.That(s.Transmitting, Is.True);
            Assert.That(s.ControlKhz, Is.EqualTo(5_825_000u));
            Assert.That(s.WidthMhz, Is.EqualTo(80));
            Assert.That(s.TxPowerMbm, Is.EqualTo(4000));
            Assert.That(r.R(R.Status) & (R.StatusRunning | R.StatusTransmitting), Is.EqualTo(R.StatusRunning | R.StatusTransmitting));
        });
    }

    [Test]
    public void Ctrl_reset_clears_every_register_and_unlocks_the_regdomain()
    {
        var r = new NicRig();
        r.W(R.Regdomain, R.PackRegdomain("US", 1) | R.RegdomainLock);
        r.Tune(5_180_000, 20, 1000, R.CtrlEnable);
        r.W(R.Ctrl, R.CtrlReset);
        Assert.Multiple(() =>
        {
            Assert.That(r.R(R.Regdomain), Is.Zero);
            Assert.That(r.R(R.ChanFreq), Is.Zero);
            Assert.That(r.R(R.Ctrl), Is.Zero, "RESET is self-clearing");
            Assert.That(r.R(R.Id), Is.EqualTo(R.IdValue));
        });
    }

    [Test]
    public void A_locked_regdomain_ignores_writes_until_reset()
    {
        var r = new NicRig();
        r.W(R.Regdomain, R.PackRegdomain("US", 1) | R.RegdomainLock);
        r.W(R.Regdomain, R.PackRegdomain("DE", 2));
        Assert.That(r.Nic.State.Country, Is.EqualTo("US"));
        Assert.That(r.R(R.Status) & R.StatusRegdomainLocked, Is.Not.Zero);
        r.W(R.Ctrl, R.CtrlReset);
        r.W(R.Regdomain, R.PackRegdomain("DE", 2));
        Assert.That(r.Nic.State.Country, Is.EqualTo("DE"));
    }

    [Test]
    public void Interrupt_status_is_write_one_to_clear_and_the_line_follows_the_mask()
    {
        var r = new NicRig();
        r.Tune(5_260_000, 20, 1000, R.CtrlEnable | R.CtrlRadarDetect);
        Assert.That(r.Nic.RadarPulse(5_260_000), Is.True);
        Assert.That(r.Lines, Is.Empty, "masked: no line");
        r.W(R.IntMask, R.IntAll);
        Assert.That(r.Lines, Is.EqualTo(new[] { true }));
        Assert.That(r.R(R.RadarFreq), Is.EqualTo(5_260_000u));
        Assert.That(r.R(R.Status) & R.StatusRadarSeen, Is.Not.Zero);
        r.W(R.IntStatus, R.IntTxDone); // not pending: nothing changes
        Assert.That(r.R(R.IntStatus), Is.EqualTo(R.IntRadar));
        r.W(R.IntStatus, R.IntRadar);
        Assert.Multiple(() =>
        {
            Assert.That(r.Lines, Is.EqualTo(new[] { true, false }));
            Assert.That(r.R(R.IntStatus), Is.Zero);
            Assert.That(r.R(R.Status) & R.StatusRadarSeen, Is.Zero, "acknowledging the radar interrupt clears RADAR_SEEN");
        });
    }

    [TestCase(false, true, 5_260_000u, false)] // radio off
    [TestCase(true, false, 5_260_000u, false)] // not detecting
    [TestCase(true, true, 5_500_000u, false)] // elsewhere
    [TestCase(true, true, 5_260_000u, true)]
    public void Radar_is_detected_only_when_listening_for_it_on_that_channel(bool enabled, bool detect, uint radarKhz, bool seen)
    {
        var r = new NicRig();
        r.Tune(5_260_000, 20, 1000, (enabled ? R.CtrlEnable : 0) | (detect ? R.CtrlRadarDetect : 0));
        Assert.That(r.Nic.RadarPulse(radarKhz), Is.EqualTo(seen));
        Assert.That(r.R(R.IntStatus) & R.IntRadar, Is.EqualTo(seen ? R.IntRadar : 0u));
    }

    [Test]
    public void Transmit_radiates_queued_frames_only_while_the_transmitter_is_on()
    {
        var r = new NicRig();
        r.Rings();
        r.W(R.IntMask, R.IntAll);
        r.Tune(5_180_000, 20, 1500, R.CtrlEnable); // listening only
        r.Send(0, new byte[60]);
        Assert.That(r.TxDesc(0), Is.EqualTo(((ushort)R.DescDone, R.DescTxOff, (ushort)60)));
        Assert.That(r.Nic.EmissionCount, Is.Zero);
        r.W(R.Ctrl, R.CtrlEnable | R.CtrlTxEnable);
        r.Send(1, new byte[100]);
        Assert.Multiple(() =>
        {
            Assert.That(r.TxDesc(1).Status, Is.EqualTo(R.DescOk));
            Assert.That(r.Nic.EmissionCount, Is.EqualTo(1));
            Assert.That(r.Nic.Emissions[0].Length, Is.EqualTo(100));
            Assert.That(r.Nic.Emissions[0].State.TxPowerMbm, Is.EqualTo(1500));
            Assert.That(r.R(R.TxHead), Is.EqualTo(2u));
            Assert.That(r.R(R.TxCount), Is.EqualTo(1u));
            Assert.That(r.R(R.TxDropped), Is.EqualTo(1u));
            Assert.That(r.R(R.IntStatus) & R.IntTxDone, Is.Not.Zero);
        });
    }

    [Test]
    public void A_frame_buffer_outside_ram_is_a_dma_error_not_an_emission()
    {
        var r = new NicRig();
        r.Rings();
        r.Tune(5_180_000, 20, 1500, R.CtrlEnable | R.CtrlTxEnable);
        r.Send(0, new byte[64], buffer: 0x3000_0000); // no RAM there
        Assert.Multiple(() =>
        {
            Assert.That(r.TxDesc(0).Status, Is.EqualTo(R.DescDmaError));
            Assert.That(r.Nic.EmissionCount, Is.Zero);
            Assert.That(r.R(R.DmaErrors), Is.EqualTo(1u));
            Assert.That(r.R(R.IntStatus) & R.IntDmaError, Is.Not.Zero);
        });
    }

    [TestCase(0)]
    [TestCase(R.MaxFrame + 1)]
    public void Bad_lengths_are_dropped(int length)
    {
        var r = new NicRig();
        r.Rings();
        r.Tune(5_180_000, 20, 1500, R.CtrlEnable | R.CtrlTxEnable);
        var d = r.Ram.Span.Slice(0x1000, 16);
        BitConverter.TryWriteBytes(d, 0x10000UL);
        BitConverter.TryWriteBytes(d[8..], (ushort)length);
        r.W(R.TxTail, 1);
        Assert.That(r.TxDesc(0).Status, Is.EqualTo(R.DescBadLength));
        Assert.That(r.Nic.EmissionCount, Is.Zero);
    }

    [Test]
    public void Receive_fills_the_next_buffer_and_stops_when_none_is_left()
    {
        var r = new NicRig();
        r.Rings(size: 4);
        r.Tune(5_180_000, 20, 1500, R.CtrlEnable);
        var frame = Enumerable.Range(0, 80).Select(i => (byte)i).ToArray();
        Assert.That(r.Nic.ReceiveFromAir(frame, 5_200_000), Is.Null, "another channel");
        for (var i = 0; i < 3; i++)
            Assert.That(r.Nic.ReceiveFromAir(frame, 5_180_000), Is.EqualTo(R.DescOk));
        Assert.That(r.Nic.ReceiveFromAir(frame, 5_180_000), Is.Null, "tail reached: dropped");
        Assert.Multiple(() =>
        {
            Assert.That(r.RxDesc(0), Is.EqualTo(((ushort)R.DescDone, R.DescOk, (ushort)80)));
            Assert.That(r.Ram.Span.Slice(0x20000, 80).ToArray(), Is.EqualTo(frame));
            Assert.That(r.R(R.RxHead), Is.EqualTo(3u));
            Assert.That(r.R(R.RxCount), Is.EqualTo(3u));
        });
    }

    [Test]
    public void Narrow_and_misaligned_stores_are_dropped_and_reads_outside_the_window_are_zero()
    {
        var r = new NicRig();
        r.Nic.Write(R.TxPower, MmioWidth.Byte, 0xff, 0);
        r.Nic.Write(R.TxPower + 1, MmioWidth.Word, 0xffff_ffff, 0);
        Assert.That(r.R(R.TxPower), Is.Zero);
        Assert.That(r.Nic.Read(R.WindowSize + 4, MmioWidth.Word, 0), Is.Zero);
        Assert.That(r.Nic.Read(R.Id, MmioWidth.HalfWord, 0), Is.EqualTo(R.IdValue & 0xffff));
    }

    [FsCheck.NUnit.Property(MaxTest = 300, Replay = "(7,11)")]
    public Property Arbitrary_register_traffic_never_throws_and_keeps_the_read_only_registers(uint[] offsets, uint[] values)
    {
        var r = new NicRig();
        r.Rings();
        for (var i = 0; i < Math.Min(offsets.Length, values.Length); i++)
        {
            var off = offsets[i] % 0x80;
            if (off is R.TxHead or R.RxHead or R.TxCount or R.RxCount)
                continue;
            r.Nic.Write(off, (MmioWidth)(1 << (int)(values[i] % 3)), values[i], 0);
            r.Nic.RadarPulse(values[i]);
            r.Nic.ReceiveFromAir(new byte[1 + (values[i] % 100)], values[i]);
        }
        return (r.R(R.Id) == R.IdValue && r.Nic.InterruptAsserted == r.Lines.LastOrDefault()).ToProperty();
    }
}
