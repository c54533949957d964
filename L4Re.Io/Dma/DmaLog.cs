using Microsoft.Extensions.Logging;

namespace L4Re.Io.Dma;

/// <summary>Log messages of the DMA model (source-generated, no allocation when the level is off).</summary>
internal static partial class DmaLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "IO page fault: device {Device} DMA {Access} of {Length} bytes at 0x{Address:x} refused at 0x{FaultAddress:x}: {Status}; nothing transferred")]
    public static partial void Fault(ILogger logger, string device, DmaAccess access, int length, ulong address, ulong faultAddress, DmaStatus status);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug,
        Message = "DMA without IOMMU: device {Device} {Access} {Length} bytes at physical 0x{Address:x}")]
    public static partial void Unchecked(ILogger logger, string device, DmaAccess access, int length, ulong address);
}
