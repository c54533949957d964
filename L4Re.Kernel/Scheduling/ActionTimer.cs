namespace L4Re.Kernel.Scheduling;

/// <summary>
/// A kernel timer that runs a host action when the virtual clock reaches its deadline — for device
/// models (timers, DMA completion, link state) that raise interrupts at a virtual time:
/// <c>kernel.ArmTimer(new ActionTimer(() =&gt; kernel.Icu.Raise(7)), kernel.Now + 1_000_000)</c>.
/// Re-arm the same instance for periodic events.
/// </summary>
/// <param name="action">What to do when the timer fires.</param>
public sealed class ActionTimer(Action action) : KernelTimer
{
    /// <inheritdoc />
    protected internal override void Fire() => action();
}
