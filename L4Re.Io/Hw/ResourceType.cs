namespace L4Re.Io.Hw;

/// <summary>Resource types of io/vbus devices (<c>L4VBUS_RESOURCE_*</c>).</summary>
public enum ResourceType : byte
{
    /// <summary>Invalid resource.</summary>
    Invalid = 0,
    /// <summary>Interrupt line.</summary>
    Irq = 1,
    /// <summary>Memory-mapped I/O region.</summary>
    Mem = 2,
    /// <summary>I/O port range.</summary>
    Port = 3,
    /// <summary>Bus number range.</summary>
    Bus = 4,
    /// <summary>GPIO pins.</summary>
    Gpio = 5,
    /// <summary>DMA domain.</summary>
    DmaDomain = 6,
}
