namespace L4Re.Uvmm.Vmm;

/// <summary>Why a guest stops.</summary>
public enum ShutdownKind
{
    /// <summary>The guest powered itself off (syscon write, SDK hypercall, or WAIT with every interrupt disabled after Linux's <c>machine_power_off</c>).</summary>
    PowerOff,
    /// <summary>The guest asked for a restart (syscon-reboot). As in uvmm, the VMM stops and reports it; restarting is up to whoever started the VMM.</summary>
    Reboot,
    /// <summary>The VMM halted the guest because of an exit it cannot handle (uvmm <c>halt_vm</c>).</summary>
    Halt,
}

/// <summary>A guest shutdown request.</summary>
/// <param name="Kind">Power-off, reboot or halt.</param>
/// <param name="Code">The value written to the syscon / hypercall argument (uvmm uses it as the exit code).</param>
/// <param name="Reason">Who asked, for diagnostics.</param>
public sealed record ShutdownRequest(ShutdownKind Kind, uint Code, string Reason);

/// <summary>
/// Collects shutdown requests from devices and exit handlers (uvmm: <c>Guest::shutdown</c>). The first request
/// wins; the VMM's run loop stops when <see cref="Pending"/> is set.
/// </summary>
public sealed class ShutdownController
{
    /// <summary>The first request, or null while the guest runs.</summary>
    public ShutdownRequest? Pending { get; private set; }

    /// <summary>Raised once, for the first request.</summary>
    public event Action<ShutdownRequest>? Requested;

    /// <summary>Requests a shutdown (ignored when one is already pending).</summary>
    /// <param name="request">The request.</param>
    public void Request(ShutdownRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Pending is not null)
            return;
        Pending = request;
        Requested?.Invoke(request);
    }
}
