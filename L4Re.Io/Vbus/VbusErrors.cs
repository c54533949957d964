using L4Re.Kernel.Abi;

namespace L4Re.Io.Vbus;

/// <summary>Error codes the vbus protocol uses beyond <see cref="L4Error"/>'s named values.</summary>
public static class VbusErrors
{
    /// <summary><c>L4_ENODEV</c> (19): no such device — an unknown device handle, or the end of an enumeration (kernkonzept/io <c>virt/vbus.cc</c>).</summary>
    public const L4Error NoDev = (L4Error)19;
}
