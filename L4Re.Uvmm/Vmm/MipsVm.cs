using L4Re.Uvmm.Devices;
using L4Re.Uvmm.DeviceTree;
using L4Re.Uvmm.Loaders;
using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Vmm;

/// <summary>Receives guest console bytes.</summary>
/// <param name="bytes">The bytes (valid only during the call).</param>
public delegate void ConsoleOutputHandler(ReadOnlySpan<byte> bytes);

/// <summary>
/// A runnable MIPS VM composed from a device tree (built by <see cref="VmBuilder"/>): the virtual platform (RAM
/// dataspaces from the memory nodes, the MMIO bus and its devices), the boot vCPU of the engine with a second
/// stage over that RAM, the exit handler, and the run loop in virtual time — uvmm's ARCH-mips <c>Guest::run</c> /
/// <c>handle_entry</c> loop: resume, handle the exit, inject interrupts (GIC → core IC → GuestCtl2.VIP), and let a
/// vCPU in WAIT sleep until the next timer or device deadline or an interrupt.
/// <para>Not thread-safe: call <see cref="RunFor"/> from one thread. Several VMs can be interleaved by calling
/// <see cref="RunFor"/> on each in turn (their clocks advance independently).</para>
/// </summary>
public sealed class MipsVm
{
    /// <summary>The longest stretch (in instructions) the vCPU runs without the VMM polling devices and draining the console.</summary>
    public const long DefaultSlice = 1 << 20;

    private readonly CycleClock _clock;
    private bool _sleeping;
    private ulong _wakeAt;

    internal MipsVm(MipsVirtualPlatform platform, ISecondStage stage, Vcpu vcpu, CycleClock clock, GuestExitHandler exits, LinuxBootImage? boot)
    {
        Platform = platform;
        SecondStage = stage;
        Vcpu = vcpu;
        _clock = clock;
        Exits = exits;
        Boot = boot;
    }

    /// <summary>The platform: device tree, RAM, MMIO bus, GIC, core interrupt controllers, CM/CPC, UARTs, shutdown requests.</summary>
    public MipsVirtualPlatform Platform { get; }

    /// <summary>The device tree (as the guest sees it: disabled nodes and /chosen filled in).</summary>
    public DtTree Tree => Platform.Vm.Tree;

    /// <summary>Guest RAM.</summary>
    public GuestRam Ram => Platform.Vm.Ram;

    /// <summary>The guest-physical space the vCPU sees: every RAM region; everything else exits to the MMIO bus.</summary>
    public ISecondStage SecondStage { get; }

    /// <summary>The boot vCPU.</summary>
    public Vcpu Vcpu { get; }

    /// <summary>The exit handler.</summary>
    public GuestExitHandler Exits { get; }

    /// <summary>Virtual time (from the vCPU's cycles).</summary>
    public IVmClock Clock => _clock;

    /// <summary>What the Linux loader placed where, or null when no kernel was loaded.</summary>
    public LinuxBootImage? Boot { get; }

    /// <summary>Everything the guest wrote to its UARTs and with HYPCALL putchar (the kernel console).</summary>
    public ConsoleTranscript Console { get; } = new();

    /// <summary>Everything the guest wrote to its virtio consoles (<c>/dev/hvc0</c>).</summary>
    public ConsoleTranscript VirtioConsole { get; } = new();

    /// <summary>Guest instructions retired so far.</summary>
    public long Instructions => Vcpu.InstructionsRetired;

    /// <summary>Why the VM stopped, or null while it can run.</summary>
    public ShutdownRequest? StopReason => Platform.Shutdown.Pending;

    /// <summary>Whether the VM stopped (power-off, reboot or halt).</summary>
    public bool Stopped => StopReason is not null;

    /// <summary>Whether the vCPU is sleeping in WAIT.</summary>
    public bool Sleeping => _sleeping;

    /// <summary>Optional diagnostics (PC ring buffer, guest exception log); null costs nothing.</summary>
    public VmTrace? Trace { get; set; }

    /// <summary>How the vCPU is resumed and idles; null: the engine directly (<see cref="Vz.Vcpu.Run"/>, <see cref="Vz.Vcpu.AdvanceIdle"/>).</summary>
    public IVcpuRunner? Runner { get; set; }

    /// <summary>The instruction budget of one resume (the VMM polls devices and drains consoles between resumes).</summary>
    public long Slice { get; set; } = DefaultSlice;

    /// <summary>Console output (UART, putchar and virtio console) as it arrives (raised on the run-loop thread).</summary>
    public event ConsoleOutputHandler? ConsoleOutput;

    /// <summary>Writes bytes to the console transcript and the listeners (the exit handler's putchar and the consoles call it).</summary>
    /// <param name="bytes">Console bytes.</param>
    internal void EmitConsole(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
            return;
        Console.Append(bytes);
        ConsoleOutput?.Invoke(bytes);
    }

    /// <summary>
    /// Runs the VM until its virtual clock reaches <paramref name="untilNanoseconds"/>, it stops, or
    /// <paramref name="stop"/> (checked after every resume) returns true.
    /// </summary>
    /// <param name="untilNanoseconds">A virtual time.</param>
    /// <param name="stop">An extra stop condition, or null.</param>
    /// <param name="maxInstructions">At most this many guest instructions.</param>
    /// <returns>True while the VM can continue (it did not stop).</returns>
    public bool RunFor(ulong untilNanoseconds, Func<bool>? stop = null, long maxInstructions = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxInstructions);
        var instructionEnd = maxInstructions > long.MaxValue - Instructions ? long.MaxValue : Instructions + maxInstructions;
        while (!Stopped && _clock.NowNanoseconds < untilNanoseconds && Instructions < instructionEnd)
        {
            Exits.UpdateInterrupts(Vcpu);
            if (_sleeping)
            {
                Sleep(untilNanoseconds);
                DrainConsoles();
                if (stop?.Invoke() == true)
                    break;
                continue;
            }
            var budget = (ulong)Math.Min(Slice, instructionEnd - Instructions);
            budget = Math.Min(budget, Math.Max(1, _clock.CyclesUntil(untilNanoseconds)));
            if (Platform.NextDeadline is { } deadline)
                budget = Math.Min(budget, Math.Max(1, _clock.CyclesUntil(deadline)));
            var exit = Runner is { } runner ? runner.Resume(Vcpu, (long)budget)
                : Trace is { } trace ? trace.Run(Vcpu, (long)budget, Ram) : Vcpu.Run((long)budget);
            var action = Exits.Handle(Vcpu, exit);
            if (action.Kind == ExitKind.Sleep)
            {
                _sleeping = true;
                _wakeAt = action.WakeAtNanoseconds;
            }
            DrainConsoles();
            if (stop?.Invoke() == true)
                break;
        }
        DrainConsoles();
        return !Stopped;
    }

    /// <summary>A vCPU in WAIT: idle until an interrupt is pending, the wake-up time, the next device deadline or <paramref name="until"/>.</summary>
    private void Sleep(ulong until)
    {
        if (InterruptPending())
        {
            _sleeping = false;
            return;
        }
        var target = Math.Min(_wakeAt, until);
        if (Platform.NextDeadline is { } deadline)
            target = Math.Min(target, deadline);
        var now = _clock.NowNanoseconds;
        if (Runner is { } runner)
        {
            if (target > now && !runner.Idle(Vcpu, target == ulong.MaxValue ? ulong.MaxValue : _clock.CyclesUntil(target)))
            {
                Platform.Shutdown.Request(new ShutdownRequest(ShutdownKind.Halt, 0, $"vCPU {Vcpu.Id} waits for an interrupt nothing can raise"));
                return;
            }
        }
        else if (target == ulong.MaxValue)
        {
            Platform.Shutdown.Request(new ShutdownRequest(ShutdownKind.Halt, 0, $"vCPU {Vcpu.Id} waits with no timer and no device that could wake it"));
            return;
        }
        else if (target > now)
        {
            Vcpu.AdvanceIdle(_clock.CyclesUntil(target));
        }
        Platform.Poll();
        Exits.UpdateInterrupts(Vcpu);
        if (_clock.NowNanoseconds >= _wakeAt || InterruptPending())
            _sleeping = false;
    }

    /// <summary>Whether an interrupt line the guest has unmasked (the CP0 timer included) is pending: what ends a WAIT.</summary>
    private bool InterruptPending()
    {
        var state = Vcpu.State;
        var cause = state.Cause;
        return (cause & state.Status & Cp0Bits.StatusIM) != 0; // Cause.TI shows as IP[IntCtl.IPTI]
    }

    /// <summary>Moves console output of the UARTs and virtio consoles into the transcripts and the listeners.</summary>
    public void DrainConsoles()
    {
        foreach (var uart in Platform.Uarts)
            Drain(uart.Output, Console);
        foreach (var console in Platform.VirtioConsoles)
            Drain(console.Output, VirtioConsole);
    }

    private void Drain(System.IO.Pipelines.PipeReader output, ConsoleTranscript transcript)
    {
        while (output.TryRead(out var result))
        {
            foreach (var segment in result.Buffer)
            {
                transcript.Append(segment.Span);
                ConsoleOutput?.Invoke(segment.Span);
            }
            output.AdvanceTo(result.Buffer.End);
            if (result.Buffer.IsEmpty || result.IsCompleted)
                break;
        }
    }
}
