using System.Buffers.Binary;
using System.Globalization;
using L4Re.Vio.Capture;
using L4Re.Vio.Devices.Net;
using L4Re.Vio.Switch;
using L4Re.Vio.Tests.Support;

namespace L4Re.Vio.Tests.Capture;

/// <summary>tshark reads our pcap files and shows the frames we wrote.</summary>
public class PcapTsharkTests
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static string TempFile() => Path.Combine(Path.GetTempPath(), $"l4re-vio-{Guid.NewGuid():N}.pcap");

    [Test]
    public void The_global_header_is_libpcap_2_4_ethernet()
    {
        var stream = new MemoryStream();
        new PcapWriter(stream, snapLength: 1500, leaveOpen: true).Dispose();
        var h = stream.ToArray();
        Assert.That(h, Has.Length.EqualTo(24));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(h), Is.EqualTo(0xa1b2c3d4u));
        Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(4)), Is.EqualTo(2));
        Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(6)), Is.EqualTo(4));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(16)), Is.EqualTo(1500u));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(20)), Is.EqualTo(1u));
    }

    [Test]
    public void Tshark_shows_the_frames_we_wrote()
    {
        var file = TempFile();
        try
        {
            var random = new Random(20240501);
            var frames = new List<(byte[] Frame, ushort? Vlan)>();
            using (var writer = PcapWriter.Create(file, new SteppingClock(Start, TimeSpan.FromMilliseconds(1.5)), snapLength: 1000))
            {
                for (var i = 0; i < 200; i++)
                {
                    ushort? vlan = i % 3 == 0 ? (ushort)random.Next(1, 4095) : null;
                    var frame = Frames.Ethernet(MacAddress.Random(random), MacAddress.Random(random), random.Next(46, 1500), 0x88b5, (byte)i, vlan);
                    writer.Write(frame);
                    frames.Add((frame, vlan));
                }
            }
            var lines = Tshark.Fields(file, "frame.len", "frame.cap_len", "eth.dst", "eth.src", "vlan.id", "data.data", "frame.time_epoch");
            Assert.That(lines, Has.Length.EqualTo(frames.Count));
            for (var i = 0; i < frames.Count; i++)
            {
                var (frame, vlan) = frames[i];
                var f = lines[i].Split('|');
                Assert.That(int.Parse(f[0], CultureInfo.InvariantCulture), Is.EqualTo(frame.Length), $"frame {i} length");
                Assert.That(int.Parse(f[1], CultureInfo.InvariantCulture), Is.EqualTo(Math.Min(frame.Length, 1000)), $"frame {i} captured");
                Assert.That(f[2], Is.EqualTo(MacAddress.Read(frame).ToString()));
                Assert.That(f[3], Is.EqualTo(MacAddress.Read(frame.AsSpan(6)).ToString()));
                Assert.That(f[4], Is.EqualTo(vlan?.ToString(CultureInfo.InvariantCulture) ?? ""));
                var payloadStart = vlan is null ? 14 : 18;
                var expected = Convert.ToHexStringLower(frame.AsSpan(payloadStart, Math.Min(frame.Length, 1000) - payloadStart));
                Assert.That(f[5], Is.EqualTo(expected), $"frame {i} payload");
                var t = decimal.Parse(f[6], CultureInfo.InvariantCulture);
                Assert.That(t, Is.EqualTo(Start.ToUnixTimeSeconds() + 0.0015m * i), $"frame {i} time");
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Tshark_reads_a_monitor_capture_of_switch_traffic_and_port_taps()
    {
        var monitorFile = TempFile();
        var tapFile = TempFile();
        try
        {
            var clock = new SteppingClock(Start, TimeSpan.FromMilliseconds(1));
            var sw = new VirtualSwitch();
            var monitor = PcapWriter.Create(monitorFile, clock);
            sw.CreatePcapPort(monitor);
            var a = new GuestNic(sw, ["name=a", "vlan=access=42"]);
            var b = new GuestNic(sw, ["name=b", "vlan=access=42"]);
            var t = new GuestNic(sw, ["name=t", "vlan=trunk=42"]);
            var tap = PcapWriter.Create(tapFile, clock);
            t.Port.Capture = tap;
            var request = Frames.Ethernet(MacAddress.Broadcast, a.Mac, 46, 0x0806);
            a.Send(request);
            var reply = Frames.Ethernet(a.Mac, b.Mac, 46, 0x0806);
            b.Send(reply);
            var fromTrunk = Frames.Ethernet(a.Mac, t.Mac, 100, 0x88b5, vlan: 42);
            t.Send(fromTrunk);
            monitor.Dispose();
            tap.Dispose();

            var lines = Tshark.Fields(monitorFile, "eth.src", "eth.dst", "vlan.id", "vlan.etype", "frame.len");
            Assert.That(lines, Is.EqualTo(new[]
            {
                $"{a.Mac}|ff:ff:ff:ff:ff:ff|42|0x0806|64",
                $"{b.Mac}|{a.Mac}|42|0x0806|64",
                $"{t.Mac}|{a.Mac}|42|0x88b5|118",
            }));
            var tapLines = Tshark.Fields(tapFile, "eth.src", "vlan.id", "frame.len");
            Assert.That(tapLines, Is.EqualTo(new[]
            {
                $"{a.Mac}|42|64",   // the flooded request, as delivered to the trunk (tagged)
                $"{t.Mac}|42|118",  // what the trunk sent
            }));
        }
        finally
        {
            File.Delete(monitorFile);
            File.Delete(tapFile);
        }
    }
}
