using System.Diagnostics;

namespace L4Re.Uvmm.Vmm;

/// <summary>When <see cref="BootRunner.Run"/> stops a boot.</summary>
public sealed record BootLimits
{
    /// <summary>Stop successfully as soon as this text appears on the guest console (null: run until the guest stops).</summary>
    public string? Until { get; init; }

    /// <summary>Stop after this much virtual (guest) time, or null.</summary>
    public TimeSpan? VirtualTime { get; init; }

    /// <summary>Stop after this much wall-clock time, or null.</summary>
    public TimeSpan? WallTime { get; init; }

    /// <summary>Stop after this many guest instructions, or null.</summary>
    public long? MaxInstructions { get; init; }
}

/// <summary>How a boot ended.</summary>
public enum BootOutcome
{
    /// <summary>The <see cref="BootLimits.Until"/> text appeared.</summary>
    TextSeen,
    /// <summary>The guest powered off (without the text, if one was awaited).</summary>
    PoweredOff,
    /// <summary>The guest asked for a reboot.</summary>
    Rebooted,
    /// <summary>The guest kernel panicked ("Kernel panic - not syncing" on the console).</summary>
    Panic,
    /// <summary>The VMM halted the VM (an exit it cannot handle, a bad access).</summary>
    Halted,
    /// <summary>The virtual-time or instruction limit passed.</summary>
    VirtualLimit,
    /// <summary>The wall-clock limit passed or the run was cancelled.</summary>
    WallLimit,
}

/// <summary>The result of a boot.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Detail">The stop reason in words.</param>
/// <param name="Instructions">Guest instructions executed.</param>
/// <param name="VirtualTime">Guest time elapsed.</param>
/// <param name="WallTime">Host time elapsed.</param>
public sealed record BootReport(BootOutcome Outcome, string Detail, long Instructions, TimeSpan VirtualTime, TimeSpan WallTime)
{
    /// <summary>Guest instructions per wall-clock second.</summary>
    public double InstructionsPerSecond => WallTime > TimeSpan.Zero ? Instructions / WallTime.TotalSeconds : 0;
}

/// <summary>
/// Runs a <see cref="MipsVm"/> until a console text appears, the guest stops or panics, or a limit passes —
/// what <c>l4re boot --until TEXT --max-seconds N</c> and the boot tests need.
/// </summary>
public static class BootRunner
{
    /// <summary>The line Linux prints when it panics (<c>kernel/panic.c</c>).</summary>
    public const string PanicText = "Kernel panic - not syncing";

    /// <summary>Virtual time between console checks.</summary>
    private const ulong CheckIntervalNs = 2_000_000;

    /// <summary>Boots <paramref name="vm"/> under <paramref name="limits"/>.</summary>
    /// <param name="vm">The VM.</param>
    /// <param name="limits">The stop conditions.</param>
    /// <param name="cancellationToken">Stops the run (reported as <see cref="BootOutcome.WallLimit"/>).</param>
    /// <returns>What happened.</returns>
    public static BootReport Run(MipsVm vm, BootLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vm);
        ArgumentNullException.ThrowIfNull(limits);
        var wall = Stopwatch.StartNew();
        var startInstructions = vm.Instructions;
        var startNs = vm.Clock.NowNanoseconds;
        var virtualEnd = limits.VirtualTime is { } vt ? startNs + (ulong)vt.Ticks * 100 : ulong.MaxValue;
        var watch = new ConsoleWatch(limits.Until);

        BootReport Report(BootOutcome outcome, string detail) => new(outcome, detail, vm.Instructions - startInstructions,
            TimeSpan.FromTicks((long)((vm.Clock.NowNanoseconds - startNs) / 100)), wall.Elapsed);

        while (true)
        {
            var now = vm.Clock.NowNanoseconds;
            var chunkEnd = Math.Min(virtualEnd, now + CheckIntervalNs);
            var left = long.MaxValue;
            if (limits.MaxInstructions is { } max)
            {
                left = max - (vm.Instructions - startInstructions);
                if (left <= 0)
                    return Report(BootOutcome.VirtualLimit, $"instruction limit {max} reached");
            }
            vm.RunFor(chunkEnd, () => watch.Check(vm.Console) != ConsoleEvent.None, left);
            switch (watch.Check(vm.Console))
            {
                case ConsoleEvent.TextSeen:
                    return Report(BootOutcome.TextSeen, $"\"{limits.Until}\" appeared on the console");
                case ConsoleEvent.Panic:
                    return Report(BootOutcome.Panic, "the guest kernel panicked");
            }
            if (vm.StopReason is { } stop)
            {
                return stop.Kind switch
                {
                    ShutdownKind.PowerOff => Report(BootOutcome.PoweredOff, $"the guest powered off ({stop.Reason})"),
                    ShutdownKind.Reboot => Report(BootOutcome.Rebooted, $"the guest rebooted ({stop.Reason})"),
                    _ => Report(BootOutcome.Halted, stop.Reason),
                };
            }
            if (vm.Clock.NowNanoseconds >= virtualEnd)
                return Report(BootOutcome.VirtualLimit, $"virtual time limit {limits.VirtualTime} reached");
            if (limits.WallTime is { } wt && wall.Elapsed >= wt)
                return Report(BootOutcome.WallLimit, $"wall-clock limit {wt} reached");
            if (cancellationToken.IsCancellationRequested)
                return Report(BootOutcome.WallLimit, "cancelled");
        }
    }
}
