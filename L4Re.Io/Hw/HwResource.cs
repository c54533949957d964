using L4Re.Io.Config;

namespace L4Re.Io.Hw;

/// <summary>A resource of a hardware device together with how the registry treats it.</summary>
/// <param name="Value">The resource as a vbus client will see it.</param>
/// <param name="Shared">For IRQs: the line may be used by several devices (e.g. PCI INTx); every other
/// use of the line must be shared too and have the same mode. Exclusive otherwise.</param>
/// <param name="Origin">Where the resource was defined.</param>
public sealed record HwResource(Resource Value, bool Shared, ConfigLocation Origin)
{
    /// <summary>The resource's 4-letter name.</summary>
    public string Name => Value.Id.Name;
}
