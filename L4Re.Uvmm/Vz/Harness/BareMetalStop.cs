namespace L4Re.Uvmm.Vz;

/// <summary>Why a <see cref="BareMetalRunner"/> stopped.</summary>
public enum BareMetalStop
{
    /// <summary>The guest executed WAIT with interrupts disabled (or with no interrupt source that could wake it).</summary>
    Wait,
    /// <summary>The guest executed a HYPCALL the runner does not handle.</summary>
    Hypcall,
    /// <summary>The instruction limit was reached.</summary>
    Limit,
    /// <summary>An exit the runner cannot handle (a GPA outside RAM, GRR, an unknown sensitive instruction, …).</summary>
    Fault,
}
