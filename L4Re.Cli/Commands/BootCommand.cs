using System.CommandLine;
using System.Globalization;
using System.Text;
using L4Re.Uvmm.DeviceTree;
using L4Re.Uvmm.Loaders;
using L4Re.Uvmm.Vmm;
using L4Re.Vio.Devices.Net;
using L4Re.Vio.Switch;

namespace L4Re.Cli.Commands;

/// <summary>
/// <c>l4re boot --kernel FILE [--initrd FILE] [--append "…"] [--mem 256M] [--net MAC] [--dtb-out FILE] [--until "TEXT"]
/// [--max-seconds N]</c>: builds the default MIPS virtual platform VM (docs/vmm.md), boots the kernel with the UHI
/// protocol and streams the guest console to stdout. Exit codes: 0 — TEXT appeared (or, without --until, the guest
/// powered off); 1 — the guest panicked or the VMM halted it; 2 — bad arguments or files; 3 — the time limit
/// passed; 4 — the guest powered off or rebooted without TEXT.
/// </summary>
internal static class BootCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var kernel = new Option<FileInfo>("--kernel") { Description = "The kernel: an ELF32 little-endian MIPS executable (Debian's vmlinuz-*-mips32r2el).", Required = true };
        var initrd = new Option<FileInfo?>("--initrd") { Description = "An initramfs to load after the kernel." };
        var append = new Option<string?>("--append") { Description = $"The kernel command line (default \"{MipsPlatformOptions.DefaultBootArgs}\")." };
        var mem = new Option<string>("--mem") { Description = "Guest RAM, e.g. 256M or 1G (up to 256 MiB at 0, the rest at 0x20000000).", DefaultValueFactory = _ => "256M" };
        var dtbOut = new Option<FileInfo?>("--dtb-out") { Description = "Also write the DTB the guest gets to this file." };
        var until = new Option<string?>("--until") { Description = "Exit 0 as soon as this text appears on the guest console." };
        var maxSeconds = new Option<double?>("--max-seconds") { Description = "Give up after this many seconds of virtual or wall-clock time, whichever passes first." };
        var maxInstructions = new Option<long?>("--max-instructions") { Description = "Give up after this many guest instructions." };
        var trace = new Option<int>("--trace-pcs") { Description = "Debugging: keep the last N guest PCs (single-steps the vCPU from --trace-from on) and print them when the VM stops abnormally.", DefaultValueFactory = _ => 0 };
        var traceFrom = new Option<long>("--trace-from") { Description = "Debugging: the instruction count from which --trace-pcs records.", DefaultValueFactory = _ => 0 };
        var watch = new Option<string?>("--trace-watch") { Description = "Debugging: report every change of this guest-physical word (hex) while --trace-pcs single-steps." };
        var profile = new Option<long>("--profile") { Description = "Debugging: sample the guest PC every N instructions and print the hottest addresses at the end.", DefaultValueFactory = _ => 0 };
        var dumpRam = new Option<FileInfo?>("--dump-ram") { Description = "Debugging: write guest RAM at physical 0 (the low region) to this file when the boot ends." };
        var net = new Option<string?>("--net") { Description = "Back the virtio-net slot with a port of a virtual switch; the guest's eth0 gets this MAC (xx:xx:xx:xx:xx:xx)." };
        var traceExceptions = new Option<bool>("--trace-exceptions") { Description = "Debugging: print every guest exception and interrupt to stderr." };
        var command = new Command("boot", "Boot a Linux kernel in a VM of the default MIPS virtual platform (P5600 in VZ guest mode, GIC, 16550 UART, virtio-mmio slots) and stream its console.")
        {
            kernel, initrd, append, mem, net, dtbOut, until, maxSeconds, maxInstructions, trace, traceFrom, traceExceptions, watch, profile, dumpRam,
        };
        command.SetAction(parse =>
        {
            var limit = parse.GetValue(maxSeconds);
            if (!TryReadLimits("boot", parse.GetValue(mem)!, "256M", limit, stderr, out var memory))
                return 2;
            MacAddress? mac = null;
            if (parse.GetValue(net) is { } macText)
            {
                if (!MacAddress.TryParse(macText, out var parsed))
                {
                    stderr.WriteLine($"boot: --net {macText}: expected a MAC address such as 02:00:00:00:00:01");
                    return 2;
                }
                mac = parsed;
            }
            var options = new MipsPlatformOptions { MemorySize = memory };
            MipsVm vm;
            try
            {
                var initrdBytes = parse.GetValue(initrd) is { } i ? File.ReadAllBytes(i.FullName) : null;
                var builder = new VmBuilder()
                    .WithPlatform(options)
                    .WithKernel(parse.GetValue(kernel)!.FullName)
                    .WithInitrd(initrdBytes)
                    .WithBootArgs(parse.GetValue(append));
                if (mac is { } m)
                    builder.WithNetwork(new VirtualSwitch(), new PortOptions { Name = "vm", Mac = m });
                vm = builder.Build();
                if (parse.GetValue(dtbOut) is { } dtb)
                    File.WriteAllBytes(dtb.FullName, vm.Boot!.Dtb);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or LoaderException or DeviceTreeException or ArgumentException)
            {
                stderr.WriteLine($"boot: {e.Message}");
                return 2;
            }

            var decoder = Encoding.UTF8.GetDecoder();
            var chars = new char[4096];
            vm.ConsoleOutput += bytes =>
            {
                while (!bytes.IsEmpty)
                {
                    decoder.Convert(bytes, chars, flush: false, out var used, out var produced, out _);
                    stdout.Write(chars, 0, produced);
                    bytes = bytes[used..];
                }
                stdout.Flush();
            };
            VmTrace? vmTrace = null;
            if (parse.GetValue(trace) > 0 || parse.GetValue(traceExceptions) || parse.GetValue(profile) > 0)
            {
                vmTrace = new VmTrace(parse.GetValue(trace)) { StartAt = parse.GetValue(traceFrom) };
                if (parse.GetValue(watch) is { } wa)
                {
                    vmTrace.WatchAddress = Convert.ToUInt64(wa, 16);
                    vmTrace.OnWatch = (pc, n, old, now) => stderr.WriteLine($"[watch] #{n} pc 0x{pc:x8}: 0x{old:x8} -> 0x{now:x8}");
                }
                if (parse.GetValue(traceExceptions))
                    vmTrace.OnException = (in Uvmm.Vz.GuestException e) => stderr.WriteLine($"[exception] {e}");
                vmTrace.Attach(vm.Vcpu);
                vm.Trace = vmTrace;
                if (parse.GetValue(profile) is > 0 and var every)
                {
                    vmTrace.Sampling = true;
                    vm.Slice = every;
                }
            }

            var limits = new BootLimits
            {
                Until = parse.GetValue(until),
                VirtualTime = limit is { } s ? TimeSpan.FromSeconds(s) : null,
                WallTime = limit is { } w ? TimeSpan.FromSeconds(w) : null,
                MaxInstructions = parse.GetValue(maxInstructions),
            };
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            BootReport report;
            try
            {
                report = BootRunner.Run(vm, limits, cancel.Token);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            stdout.Flush();
            stderr.WriteLine();
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"boot: {report.Detail}; {report.Instructions:N0} guest instructions, {report.VirtualTime.TotalSeconds:F3} s virtual, {report.WallTime.TotalSeconds:F2} s wall ({report.InstructionsPerSecond / 1e6:F0} M instr/s)"));
            var code = ExitCode(report.Outcome, limits.Until is not null);
            if (vmTrace is not null && code != 0)
                stderr.WriteLine(vmTrace.Format(vm));
            if (parse.GetValue(dumpRam) is { } dump && vm.Ram.Find(0) is { } low)
                File.WriteAllBytes(dump.FullName, low.Dataspace.Span.ToArray());
            if (vmTrace is { Sampling: true })
            {
                var total = vmTrace.Samples.Values.Sum();
                foreach (var (pc, n) in vmTrace.Samples.OrderByDescending(kv => kv.Value).Take(40))
                    stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[profile] {100.0 * n / total,6:F2}%  0x{pc:x8}  {VmTrace.Disassemble(vm, pc)}"));
            }
            return code;
        });
        return command;
    }

    /// <summary>The exit code of a boot (see the class summary).</summary>
    /// <param name="outcome">How the boot ended.</param>
    /// <param name="awaitingText">Whether --until was given.</param>
    internal static int ExitCode(BootOutcome outcome, bool awaitingText) => outcome switch
    {
        BootOutcome.TextSeen => 0,
        BootOutcome.PoweredOff or BootOutcome.Rebooted => awaitingText ? 4 : 0,
        BootOutcome.Panic or BootOutcome.Halted => 1,
        _ => 3,
    };

    /// <summary>Parses 256M, 1G, 65536K or a byte count.</summary>
    /// <summary>
    /// Checks the <c>--mem</c> and <c>--max-seconds</c> values that <c>boot</c> and <c>boot-pair</c> share; false
    /// after telling <paramref name="stderr"/> what is wrong (the caller exits 2).
    /// </summary>
    internal static bool TryReadLimits(string command, string memText, string memExample, double? maxSeconds, TextWriter stderr, out long memory)
    {
        if (!TryParseSize(memText, out memory))
        {
            stderr.WriteLine($"{command}: --mem {memText}: expected a size such as {memExample} or 1G");
            return false;
        }
        if (maxSeconds is <= 0)
        {
            stderr.WriteLine($"{command}: --max-seconds must be positive");
            return false;
        }
        return true;
    }

    internal static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        text = text.Trim();
        if (text.Length == 0)
            return false;
        var shift = char.ToUpperInvariant(text[^1]) switch { 'K' => 10, 'M' => 20, 'G' => 30, _ => 0 };
        var digits = shift == 0 ? text : text[..^1];
        if (digits.EndsWith("i", StringComparison.OrdinalIgnoreCase))
            return false;
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > (1L << 40) >> shift)
            return false;
        bytes = n << shift;
        return true;
    }
}
