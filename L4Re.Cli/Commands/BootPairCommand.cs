using System.CommandLine;
using System.Globalization;
using System.Text;
using L4Re.Uvmm.DeviceTree;
using L4Re.Uvmm.Loaders;
using L4Re.Uvmm.Vmm;
using L4Re.Vio.Capture;
using L4Re.Vio.Devices.Net;
using L4Re.Vio.Switch;

namespace L4Re.Cli.Commands;

/// <summary>
/// <c>l4re boot-pair --kernel FILE --initrd FILE [--append "…"] [--mem 128M] [--until "TEXT"] [--max-seconds N]
/// [--pcap FILE]</c>: two VMs of the default MIPS virtual platform whose virtio-net slots are ports <c>vm0</c> and
/// <c>vm1</c> of one <see cref="VirtualSwitch"/>, run in one thread on one virtual timeline (<see cref="VmGroup"/>).
/// VM i gets MAC 02:4c:34:00:00:0(i+1) and, on its command line, <c>l4re.ip=10.0.0.(i+1)/24
/// l4re.ping=10.0.0.(other) l4re.linger=3</c> — what the virtio initramfs of scripts/build-initramfs.sh reads to
/// configure eth0 and ping the other VM. Both consoles go to stdout with a <c>[vmN]</c> prefix; at the end the
/// switch's ports, statistics and learned addresses are printed. Exit codes as <c>l4re boot</c>, for the group:
/// 0 when every VM showed TEXT.
/// </summary>
internal static class BootPairCommand
{
    /// <summary>The MAC of VM <paramref name="index"/>.</summary>
    internal static MacAddress MacOf(int index) => MacAddress.Parse($"02:4c:34:00:00:{index + 1:x2}");

    /// <summary>The IPv4 address of VM <paramref name="index"/>.</summary>
    internal static string IpOf(int index) => $"10.0.0.{index + 1}";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var kernel = new Option<FileInfo>("--kernel") { Description = "The kernel for both VMs (Debian's vmlinuz-*-mips32r2el).", Required = true };
        var initrd = new Option<FileInfo>("--initrd") { Description = "The initramfs for both VMs (the virtio image of scripts/build-initramfs.sh).", Required = true };
        var append = new Option<string?>("--append") { Description = $"The kernel command line before the per-VM l4re.* arguments (default \"{MipsPlatformOptions.DefaultBootArgs}\")." };
        var mem = new Option<string>("--mem") { Description = "Guest RAM of each VM.", DefaultValueFactory = _ => "128M" };
        var until = new Option<string?>("--until") { Description = "Exit 0 as soon as this text has appeared on both consoles." };
        var maxSeconds = new Option<double?>("--max-seconds") { Description = "Give up after this many seconds of virtual or wall-clock time, whichever passes first." };
        var pcap = new Option<FileInfo?>("--pcap") { Description = "Write the switch's monitor capture (every forwarded frame) to this pcap file." };
        var command = new Command("boot-pair", "Boot two Linux VMs with virtio-net on one virtual switch (one thread, one virtual timeline); the virtio initramfs makes them ping each other.")
        {
            kernel, initrd, append, mem, until, maxSeconds, pcap,
        };
        command.SetAction(parse =>
        {
            var limit = parse.GetValue(maxSeconds);
            if (!BootCommand.TryReadLimits("boot-pair", parse.GetValue(mem)!, "128M", limit, stderr, out var memory))
                return 2;
            var baseArgs = parse.GetValue(append) ?? MipsPlatformOptions.DefaultBootArgs;
            var vswitch = new VirtualSwitch();
            PcapWriter? capture = null;
            try
            {
                var initrdBytes = File.ReadAllBytes(parse.GetValue(initrd)!.FullName);
                var vms = new List<MipsVm>();
                for (var i = 0; i < 2; i++)
                {
                    var args = $"{baseArgs} l4re.ip={IpOf(i)}/24 l4re.ping={IpOf(1 - i)} l4re.linger=3";
                    vms.Add(new VmBuilder()
                        .WithPlatform(new MipsPlatformOptions { MemorySize = memory })
                        .WithKernel(parse.GetValue(kernel)!.FullName)
                        .WithInitrd(initrdBytes)
                        .WithBootArgs(args)
                        .WithNetwork(vswitch, new PortOptions { Name = $"vm{i}", Mac = MacOf(i) })
                        .Build());
                }
                var group = new VmGroup(vms);
                // Capture timestamps in virtual time: reproducible, and ping intervals read as the guests saw them.
                if (parse.GetValue(pcap) is { } pcapFile)
                    vswitch.CreatePcapPort(capture = PcapWriter.Create(pcapFile.FullName, new VirtualTimeProvider(() => group.CurrentNanoseconds)));
                return Run(group, vswitch, capture, parse.GetValue(until), limit, stdout, stderr);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or LoaderException or DeviceTreeException or ArgumentException or InvalidOperationException)
            {
                stderr.WriteLine($"boot-pair: {e.Message}");
                return 2;
            }
            finally
            {
                capture?.Dispose();
            }
        });
        return command;
    }

    private static int Run(VmGroup group, VirtualSwitch vswitch, PcapWriter? capture, string? until, double? limit, TextWriter stdout, TextWriter stderr)
    {
        var outputs = new List<PrefixedLines>();
        for (var i = 0; i < group.Vms.Count; i++)
        {
            var output = new PrefixedLines($"[vm{i}] ", stdout);
            group.Vms[i].ConsoleOutput += output.Write;
            outputs.Add(output);
        }
        var limits = new BootLimits
        {
            Until = until,
            VirtualTime = limit is { } s ? TimeSpan.FromSeconds(s) : null,
            WallTime = limit is { } w ? TimeSpan.FromSeconds(w) : null,
        };
        var report = group.Run(limits);
        foreach (var output in outputs)
            output.Flush();
        stdout.WriteLine();
        foreach (var port in vswitch.Ports)
        {
            var st = port.Statistics;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"switch: port {port.Name} mac {port.Mac} tx {st.TxNum} frames ({st.TxBytes} B, {st.TxDropped} dropped), rx {st.RxNum} frames ({st.RxBytes} B, {st.RxDropped} dropped)"));
        }
        foreach (var (mac, vlan, port) in vswitch.MacTable.Entries)
            stdout.WriteLine($"switch: learned {mac} vlan {(vlan == VlanIds.Native ? "native" : vlan.ToString(CultureInfo.InvariantCulture))} on port {port.Name}");
        if (capture is not null)
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"switch: monitor captured {capture.Frames} frames"));
        stdout.Flush();
        for (var i = 0; i < report.Vms.Count; i++)
        {
            var r = report.Vms[i];
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"boot-pair: vm{i}: {r.Detail}; {r.Instructions:N0} guest instructions, {r.VirtualTime.TotalSeconds:F3} s virtual"));
        }
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"boot-pair: {report.Detail}; {report.Instructions:N0} guest instructions, {report.VirtualTime.TotalSeconds:F3} s virtual, {report.WallTime.TotalSeconds:F2} s wall"));
        return BootCommand.ExitCode(report.Outcome, until is not null);
    }

    /// <summary>Decodes one VM's console bytes and writes them line by line with a prefix.</summary>
    private sealed class PrefixedLines(string prefix, TextWriter output)
    {
        private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
        private readonly char[] _chars = new char[4096];
        private readonly StringBuilder _line = new();

        public void Write(ReadOnlySpan<byte> bytes)
        {
            while (!bytes.IsEmpty)
            {
                _decoder.Convert(bytes, _chars, flush: false, out var used, out var produced, out _);
                bytes = bytes[used..];
                foreach (var c in _chars.AsSpan(0, produced))
                {
                    if (c == '\r')
                        continue;
                    if (c != '\n')
                    {
                        _line.Append(c);
                        continue;
                    }
                    WriteLine();
                }
            }
        }

        private void WriteLine()
        {
            output.Write(prefix);
            output.WriteLine(_line);
            _line.Clear();
        }

        /// <summary>Writes the pending (possibly partial) line.</summary>
        public void Flush()
        {
            if (_line.Length > 0)
                WriteLine();
        }
    }
}
