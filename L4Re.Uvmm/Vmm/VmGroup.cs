using System.Diagnostics;

namespace L4Re.Uvmm.Vmm;

/// <summary>The result of running a <see cref="VmGroup"/>.</summary>
/// <param name="Outcome">How the group run ended: <see cref="BootOutcome.TextSeen"/> when every VM showed the text.</param>
/// <param name="Detail">The stop reason in words.</param>
/// <param name="Vms">Per VM: its own outcome (for a VM that was still running, the group's), instructions and times.</param>
/// <param name="VirtualTime">Group (virtual) time elapsed.</param>
/// <param name="WallTime">Host time elapsed.</param>
public sealed record VmGroupReport(BootOutcome Outcome, string Detail, IReadOnlyList<BootReport> Vms, TimeSpan VirtualTime, TimeSpan WallTime)
{
    /// <summary>Guest instructions of all VMs.</summary>
    public long Instructions => Vms.Sum(v => v.Instructions);
}

/// <summary>
/// Runs several <see cref="MipsVm"/>s in one host thread on one virtual timeline: round by round, every VM that can
/// run is advanced to the same virtual time (the end of the round, <see cref="QuantumNanoseconds"/> later) before
/// the next round starts. Their clocks are therefore never more than one quantum apart, and a frame one VM sends
/// through a shared <c>VirtualSwitch</c> reaches the other within a quantum (the switch delivers synchronously, in
/// the sender's notification). Deterministic: the same VMs and inputs give the same run. A stopped VM stays
/// stopped while the others continue.
/// </summary>
public sealed class VmGroup
{
    /// <summary>The default round length: 1 ms of virtual time.</summary>
    public const ulong DefaultQuantumNanoseconds = 1_000_000;

    private readonly MipsVm[] _vms;
    private ulong _quantum = DefaultQuantumNanoseconds;

    /// <summary>Creates a group.</summary>
    /// <param name="vms">The VMs (at least one, each once).</param>
    /// <exception cref="ArgumentException">No VM, or a VM twice.</exception>
    public VmGroup(IEnumerable<MipsVm> vms)
    {
        ArgumentNullException.ThrowIfNull(vms);
        _vms = [.. vms];
        if (_vms.Length == 0)
            throw new ArgumentException("a VM group needs at least one VM", nameof(vms));
        if (_vms.Distinct().Count() != _vms.Length)
            throw new ArgumentException("a VM appears twice in the group", nameof(vms));
        NowNanoseconds = _vms.Max(v => v.Clock.NowNanoseconds);
    }

    /// <summary>The VMs.</summary>
    public IReadOnlyList<MipsVm> Vms => _vms;

    /// <summary>The length of a round in virtual nanoseconds (the most the VMs' clocks differ).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Zero.</exception>
    public ulong QuantumNanoseconds
    {
        get => _quantum;
        set
        {
            ArgumentOutOfRangeException.ThrowIfZero(value);
            _quantum = value;
        }
    }

    /// <summary>The group's virtual time: every running VM has reached it.</summary>
    public ulong NowNanoseconds { get; private set; }

    /// <summary>The VM running right now (inside <see cref="RunRound"/>), or null between rounds.</summary>
    public MipsVm? Running { get; private set; }

    /// <summary>
    /// The most precise virtual time for events caused by a guest: the running VM's clock during a round, the
    /// group's time between rounds (use it for a <see cref="VirtualTimeProvider"/> of a capture).
    /// </summary>
    public ulong CurrentNanoseconds => Running?.Clock.NowNanoseconds ?? NowNanoseconds;

    /// <summary>Whether every VM has stopped.</summary>
    public bool AllStopped => _vms.All(v => v.Stopped);

    /// <summary>Runs one round: every running VM up to <see cref="NowNanoseconds"/> + <see cref="QuantumNanoseconds"/> (or <paramref name="until"/>).</summary>
    /// <param name="until">An upper bound for the round's end.</param>
    /// <returns>True while some VM can run.</returns>
    public bool RunRound(ulong until = ulong.MaxValue)
    {
        var end = Math.Min(until, NowNanoseconds + _quantum);
        foreach (var vm in _vms)
        {
            if (vm.Stopped)
                continue;
            Running = vm;
            try
            {
                vm.RunFor(end);
            }
            finally
            {
                Running = null;
            }
        }
        NowNanoseconds = end;
        return !AllStopped;
    }

    /// <summary>
    /// Runs the group until every VM has shown <see cref="BootLimits.Until"/> on its console (or, without it,
    /// every VM has stopped), a VM panics, or a limit passes (<see cref="BootLimits.VirtualTime"/> is group time;
    /// <see cref="BootLimits.MaxInstructions"/> counts all VMs together).
    /// </summary>
    /// <param name="limits">The stop conditions.</param>
    /// <param name="cancellationToken">Stops the run (reported as <see cref="BootOutcome.WallLimit"/>).</param>
    /// <returns>What happened, for the group and per VM.</returns>
    public VmGroupReport Run(BootLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var wall = Stopwatch.StartNew();
        var startNs = NowNanoseconds;
        var virtualEnd = limits.VirtualTime is { } vt ? startNs + (ulong)vt.Ticks * 100 : ulong.MaxValue;
        var start = _vms.Select(v => (v.Instructions, v.Clock.NowNanoseconds)).ToArray();
        var watches = _vms.Select(_ => new ConsoleWatch(limits.Until)).ToArray();
        var outcome = new BootOutcome?[_vms.Length];

        VmGroupReport Report(BootOutcome groupOutcome, string detail)
        {
            var vms = _vms.Select((vm, i) => new BootReport(outcome[i] ?? groupOutcome, VmDetail(vm, outcome[i], limits.Until, detail),
                vm.Instructions - start[i].Instructions, TimeSpan.FromTicks((long)((vm.Clock.NowNanoseconds - start[i].NowNanoseconds) / 100)),
                wall.Elapsed)).ToList();
            return new VmGroupReport(groupOutcome, detail, vms, TimeSpan.FromTicks((long)((NowNanoseconds - startNs) / 100)), wall.Elapsed);
        }

        while (true)
        {
            RunRound(virtualEnd);
            for (var i = 0; i < _vms.Length; i++)
            {
                if (outcome[i] is not null)
                    continue;
                switch (watches[i].Check(_vms[i].Console))
                {
                    case ConsoleEvent.TextSeen:
                        outcome[i] = BootOutcome.TextSeen;
                        continue;
                    case ConsoleEvent.Panic:
                        outcome[i] = BootOutcome.Panic;
                        return Report(BootOutcome.Panic, $"VM {i}: the guest kernel panicked");
                }
                if (_vms[i].StopReason is { } stop)
                {
                    outcome[i] = stop.Kind switch
                    {
                        ShutdownKind.PowerOff => BootOutcome.PoweredOff,
                        ShutdownKind.Reboot => BootOutcome.Rebooted,
                        _ => BootOutcome.Halted,
                    };
                }
            }
            if (outcome.All(o => o is not null))
            {
                if (outcome.All(o => o == BootOutcome.TextSeen))
                    return Report(BootOutcome.TextSeen, $"\"{limits.Until}\" appeared on every VM's console");
                var first = Array.FindIndex(outcome, o => o != BootOutcome.TextSeen);
                var worst = outcome.Contains(BootOutcome.Halted) ? BootOutcome.Halted : outcome[first]!.Value;
                var which = Array.IndexOf(outcome, worst);
                return Report(worst, limits.Until is null
                    ? "every VM stopped"
                    : $"VM {which} stopped without \"{limits.Until}\" ({_vms[which].StopReason?.Reason})");
            }
            if (limits.MaxInstructions is { } max && _vms.Select((v, i) => v.Instructions - start[i].Instructions).Sum() >= max)
                return Report(BootOutcome.VirtualLimit, $"instruction limit {max} reached");
            if (NowNanoseconds >= virtualEnd)
                return Report(BootOutcome.VirtualLimit, $"virtual time limit {limits.VirtualTime} reached");
            if (limits.WallTime is { } wt && wall.Elapsed >= wt)
                return Report(BootOutcome.WallLimit, $"wall-clock limit {wt} reached");
            if (cancellationToken.IsCancellationRequested)
                return Report(BootOutcome.WallLimit, "cancelled");
        }
    }

    private static string VmDetail(MipsVm vm, BootOutcome? outcome, string? until, string groupDetail) => outcome switch
    {
        BootOutcome.TextSeen => $"\"{until}\" appeared on the console",
        BootOutcome.Panic => "the guest kernel panicked",
        BootOutcome.PoweredOff or BootOutcome.Rebooted or BootOutcome.Halted => vm.StopReason?.Reason ?? "stopped",
        _ => groupDetail,
    };
}
