using System.CommandLine;
using System.Globalization;
using L4Re.Kernel.Memory;
using L4Re.Vio.Capture;
using L4Re.Vio.Devices.Net;
using L4Re.Vio.Driver;
using L4Re.Vio.Memory;
using L4Re.Vio.Switch;
using L4Re.Vio.Virtio;

namespace L4Re.Cli.Commands;

/// <summary><c>l4re vio …</c>: the virtual network switch and virtio devices.</summary>
internal static class VioCommands
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var vio = new Command("vio", "virtio devices and the l4vio_switch virtual network switch.");
        var ports = new Option<string[]>("--port")
        {
            Description = "A switch port with l4vio_switch factory options, space separated, e.g. \"name=vm1 vlan=access=10\" (repeatable).",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var frames = new Option<int>("--frames") { Description = "Broadcast frames each port's driver sends.", DefaultValueFactory = _ => 1 };
        var pcap = new Option<FileInfo?>("--pcap") { Description = "Write the monitor port's traffic to this pcap file." };
        var sw = new Command("switch", "Build a switch with native virtio-net drivers on its ports, let every port broadcast, print the statistics.")
        {
            ports,
            frames,
            pcap,
        };
        sw.SetAction(result => RunSwitch(result.GetValue(ports) ?? [], result.GetValue(frames), result.GetValue(pcap), stdout, stderr));
        vio.Subcommands.Add(sw);
        return vio;
    }

    private static int RunSwitch(string[] portSpecs, int frames, FileInfo? pcapFile, TextWriter stdout, TextWriter stderr)
    {
        if (portSpecs.Length == 0)
            portSpecs = ["name=a", "name=b"];
        if (frames is < 0 or > 10_000)
        {
            stderr.WriteLine("--frames must be in 0..10000");
            return 1;
        }
        var options = new List<PortOptions>();
        foreach (var spec in portSpecs)
        {
            try
            {
                options.Add(PortOptions.Parse(spec.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
            }
            catch (FormatException e)
            {
                stderr.WriteLine($"port \"{spec}\": {e.Message}");
                return 1;
            }
        }
        var vswitch = new VirtualSwitch(new SwitchOptions { QueueSize = 256 });
        PcapWriter? capture = null;
        try
        {
            if (pcapFile is not null)
                vswitch.CreatePcapPort(capture = PcapWriter.Create(pcapFile.FullName));
            var guests = new List<(VirtioNetPort Port, VirtioNetDriver Driver)>();
            foreach (var o in options)
            {
                var ram = new Dataspace(4 << 20, o.Name ?? "guest");
                var memory = new DriverMemoryList(o.DsMax);
                const ulong guestBase = 0x4000_0000;
                memory.Add(guestBase, ram.Size, ram);
                var port = vswitch.CreatePort(o, memory);
                var driver = new VirtioNetDriver(new VirtioMmioTransport(port.Device), memory, new GuestMemoryAllocator(guestBase, (ulong)ram.Size));
                driver.Start();
                guests.Add((port, driver));
            }
            var received = new int[guests.Count];
            var buffer = new byte[2048];
            for (var n = 0; n < frames; n++)
            {
                foreach (var (port, driver) in guests)
                {
                    var frame = new byte[64];
                    MacAddress.Broadcast.Write(frame);
                    driver.Mac.Write(frame.AsSpan(6));
                    frame[12] = 0x88;
                    frame[13] = 0xb5;
                    driver.Send(frame);
                }
                for (var i = 0; i < guests.Count; i++)
                {
                    while (guests[i].Driver.TryReceive(buffer) >= 0)
                        received[i]++;
                    guests[i].Driver.Kick();
                }
            }
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"port",-20} {"vlan",-22} {"mac",-17} {"tx",6} {"tx drop",7} {"rx",6} {"got",6}"));
            for (var i = 0; i < guests.Count; i++)
            {
                var p = guests[i].Port;
                var s = p.Statistics;
                var vlan = p.VlanMode switch
                {
                    PortVlanMode.Access => $"access {p.VlanId}",
                    PortVlanMode.Trunk when p.TrunkAll => "trunk all",
                    PortVlanMode.Trunk => "trunk " + string.Join(',', p.TrunkVlans),
                    PortVlanMode.Monitor => "monitor",
                    _ => "native",
                };
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Name,-20} {vlan,-22} {p.Mac,-17} {s.TxNum,6} {s.TxDropped,7} {s.RxNum,6} {received[i],6}"));
            }
            if (capture is not null)
                stdout.WriteLine($"monitor capture: {capture.Frames} frames in {pcapFile!.FullName}");
            return 0;
        }
        catch (InvalidOperationException e)
        {
            stderr.WriteLine(e.Message);
            return 1;
        }
        finally
        {
            capture?.Dispose();
        }
    }
}
