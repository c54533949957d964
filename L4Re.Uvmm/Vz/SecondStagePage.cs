namespace L4Re.Uvmm.Vz;

/// <summary>
/// A guest-physical page resolved by the second translation stage: one page of host memory and whether
/// guest stores may go to it. The memory must stay pinned while it is mapped (a
/// <see cref="L4Re.Kernel.Memory.Dataspace"/> lives on the pinned object heap): the engine keeps raw
/// pointers into it in its software TLB until the stage's <see cref="ISecondStage.Generation"/> changes.
/// </summary>
/// <param name="Memory">Exactly <see cref="L4Re.Kernel.Memory.Dataspace.PageSize"/> bytes of pinned host memory.</param>
/// <param name="Writable">Whether guest stores are allowed (otherwise they exit with root Cause.ExcCode = Mod).</param>
public readonly record struct SecondStagePage(Memory<byte> Memory, bool Writable);
