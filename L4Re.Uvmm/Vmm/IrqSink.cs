namespace L4Re.Uvmm.Vmm;

/// <summary>
/// A device's interrupt line into an interrupt controller (uvmm: <c>Vmm::Irq_sink</c>). It remembers its
/// level and tells the controller only about changes, so repeated <see cref="Inject"/> or <see cref="Ack"/>
/// calls are harmless.
/// </summary>
public sealed class IrqSink
{
    /// <summary>Creates an unconnected line (injecting does nothing until <see cref="Rebind"/>).</summary>
    public IrqSink()
    {
    }

    /// <summary>Creates a line to <paramref name="controller"/>'s interrupt <paramref name="irq"/>.</summary>
    /// <param name="controller">The controller.</param>
    /// <param name="irq">The controller-local interrupt number.</param>
    public IrqSink(IInterruptController controller, int irq)
    {
        Controller = controller;
        Irq = irq;
    }

    /// <summary>The controller, or null when unconnected.</summary>
    public IInterruptController? Controller { get; private set; }

    /// <summary>The interrupt number at the controller.</summary>
    public int Irq { get; private set; }

    /// <summary>True while the line is asserted.</summary>
    public bool IsAsserted { get; private set; }

    /// <summary>Asserts the line.</summary>
    public void Inject()
    {
        if (IsAsserted || Controller is null)
            return;
        IsAsserted = true;
        Controller.Set(Irq);
    }

    /// <summary>Deasserts the line.</summary>
    public void Ack()
    {
        if (!IsAsserted || Controller is null)
            return;
        Controller.Clear(Irq);
        IsAsserted = false;
    }

    /// <summary>Sets the line to <paramref name="level"/>.</summary>
    /// <param name="level">True to assert.</param>
    public void SetLevel(bool level)
    {
        if (level)
            Inject();
        else
            Ack();
    }

    /// <summary>Connects the line elsewhere (deasserting it at the old controller first).</summary>
    /// <param name="controller">The new controller, or null to disconnect.</param>
    /// <param name="irq">The interrupt number there.</param>
    public void Rebind(IInterruptController? controller, int irq)
    {
        Ack();
        Controller = controller;
        Irq = irq;
    }
}
